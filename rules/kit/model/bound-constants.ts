// Names whose every value is a constant although none is written at the name: a loop variable
// over a constant collection, and a parameter of a function only ever called with constants.
// isConstant (values.ts) asks here for names it cannot fold; it passes itself in to recurse.
// Also whether an object or array bound to a name is changed after its declaration.
import * as ir from './ir';
import type { Binding, CodeModel } from './model';
import { callSitesOf } from './calls';

type ConstantTest = (model: CodeModel, n: ir.Node, depth: number) => boolean;

/** `for (const table of TABLES)`, `for table, column in PAIRS:` over a constant, unchanged collection. */
export function isLoopOverConstants(model: CodeModel, b: Binding, depth: number, isConstant: ConstantTest): boolean {
  const loop = b.node;
  if (b.kind !== 'var' || loop.type !== 'Loop' || !loop.iter || loop.kind === 'forIn') return false;
  const iter = ir.unwrap(loop.iter);
  const coll = iter.type === 'Ident' ? model.valueOf(iter) : iter;
  if (iter.type === 'Ident' && coll?.type === 'ArrayLit' && isMutated(model, iter)) return false;
  return !!coll && coll.type === 'ArrayLit' && isConstant(model, coll, depth);
}

/**
 * A parameter of a function whose every call site is known (see callSitesOf) and passes a
 * constant there: a helper called as `addColumn('orders', 'fk_orders')` only ever sees those names.
 */
export function isParamOfConstantCalls(model: CodeModel, b: Binding, depth: number, isConstant: ConstantTest): boolean {
  if (b.kind !== 'param' || b.node.type !== 'Func' || b.paramIndex === undefined) return false;
  const fn = b.node;
  const param = fn.params[b.paramIndex];
  if (param?.name !== b.name) return false;
  const sites = callSitesOf(model, fn);
  if (!sites?.length) return false;
  return sites.every((c) => {
    const arg = ir.keywordArg(c, b.name) ?? ir.positional(c)[b.paramIndex!];
    if (arg) return arg.type !== 'Spread' && isConstant(model, arg, depth);
    return !!param.default && isConstant(model, param.default, depth);
  });
}

const MUTATORS = new Set(['push', 'unshift', 'splice', 'pop', 'shift', 'set', 'add', 'append', 'extend', 'insert', 'update', 'setdefault', 'assign']);

/** True when the object or array a name is bound to is changed after its declaration. */
export function isMutated(model: CodeModel, id: ir.Ident): boolean {
  const b = model.resolve(id);
  if (!b) return false;
  const cache = model.table<object, boolean>('mutated');
  const hit = cache.get(b);
  if (hit !== undefined) return hit;
  let mutated = false;
  // Only identifiers spelled like the binding can touch it (the model's index, not a walk).
  for (const n of model.identsNamedIn(b.name, b.scope)) {
    if (mutated) break;
    if (!ir.isInside(n, b.scope)) continue;
    const m = n.parent;
    if (m?.type === 'Member' && m.object === n) {
      if (MUTATORS.has(m.prop) && m.parent?.type === 'Call' && m.parent.callee === m) mutated = model.resolve(n) === b;
      else if (m.parent?.type === 'Assign' && m.parent.target === m) mutated = model.resolve(n) === b;
    } else if (m?.type === 'Index' && m.object === n && m.parent?.type === 'Assign' && m.parent.target === m) mutated = model.resolve(n) === b;
    // Object.assign(target, ...) mutates its first argument.
    else if (m?.type === 'Call' && m.args[0] === n && ir.dottedName(m.callee) === 'Object.assign') mutated = model.resolve(n) === b;
  }
  cache.set(b, mutated);
  return mutated;
}
