// Per-function control facts, computed once per function and shared by every rule: the loops a
// function runs (statements, comprehensions, and callbacks handed to iteration methods such as
// `items.map(async (x) => ...)` or `forEach`), the calls it awaits, and the `Promise.all`-style
// fan-outs it starts. Nested functions keep their own facts.
import * as ir from './ir';
import type { CodeModel } from './model';

/** Array and collection methods whose callback runs once per element. */
const ITERATION_METHODS = /^(map|forEach|flatMap|filter|reduce|reduceRight|some|every|find|findIndex|for_each)$/;

export interface LoopFact {
  /** The loop statement, or the iteration call (`items.map(cb)`). */
  node: ir.Loop | ir.Call;
  /** What is iterated: the loop's collection, or the receiver of the iteration method. */
  iter?: ir.Node;
  /** The loop body, or the callback's body. */
  body: ir.Node;
  /** For callbacks: the callback function (its own facts hold what it awaits). */
  callback?: ir.Func;
}

export interface FunctionFlow {
  loops: LoopFact[];
  /** Calls awaited in the function's own body (`await db.find(...)`, `await Promise.all(...)`). */
  awaited: ir.Call[];
  /** `Promise.all(xs.map(...))`, `Promise.allSettled`, `asyncio.gather(*...)`: one call starting many. */
  fanOuts: ir.Call[];
}

/** The control facts of a function (or the module's top level), memoised on the model. */
export function flowOf(model: CodeModel, fn: ir.Func | ir.Program): FunctionFlow {
  const cache = model.table<ir.Node, FunctionFlow>('flow');
  let f = cache.get(fn);
  if (!f) {
    f = computeFlow(fn);
    cache.set(fn, f);
  }
  return f;
}

function computeFlow(fn: ir.Func | ir.Program): FunctionFlow {
  const out: FunctionFlow = { loops: [], awaited: [], fanOuts: [] };
  const body = fn.type === 'Func' ? fn.body : fn;
  ir.walk(body, (n) => {
    if (n.type === 'Func' && n !== fn) return false;
    if (n.type === 'Loop') out.loops.push({ node: n, iter: n.iter, body: n.body });
    else if (n.type === 'Call') {
      const cb = iterationCallback(n);
      if (cb) out.loops.push({ node: n, iter: (n.callee as ir.Member).object, body: cb.body, callback: cb });
      if (isFanOut(n)) out.fanOuts.push(n);
      if (n.parent?.type === 'Await' && n.parent.arg === n) out.awaited.push(n);
    }
  });
  return out;
}

/** `items.map(async (x) => ...)`: the callback an iteration method runs per element. */
export function iterationCallback(c: ir.Call): ir.Func | undefined {
  if (c.callee.type !== 'Member' || !ITERATION_METHODS.test(c.callee.prop)) return undefined;
  const cb = c.args[0] && ir.unwrap(c.args[0]);
  return cb?.type === 'Func' ? cb : undefined;
}

function isFanOut(c: ir.Call): boolean {
  const name = ir.dottedName(c.callee) ?? '';
  return /^(Promise\.(all|allSettled|any|race)|asyncio\.gather|gather|trio\.gather)$/.test(name);
}

/** The loop a node runs inside, within its own function (a nested callback function counts as a loop only through an iteration method). */
export function enclosingLoop(model: CodeModel, n: ir.Node): LoopFact | undefined {
  const fn = ir.enclosingFunction(n);
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'Loop' && ir.isInside(n, p.body)) return flowOf(model, fn ?? model.root).loops.find((l) => l.node === p);
    if (p.type === 'Func') {
      const call = p.parent?.type === 'Call' ? p.parent : undefined;
      if (call && iterationCallback(call) === p) {
        const outer = ir.enclosingFunction(call) ?? model.root;
        return flowOf(model, outer).loops.find((l) => l.node === call);
      }
      return undefined;
    }
  }
  return undefined;
}
