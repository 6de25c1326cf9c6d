// Strings computed at run time whose text still comes only from the source: a list of `?`
// placeholders sized by a count (`ids.map(() => '?').join(', ')`, a helper appending `' ?,'` in a
// loop), a number, a constant trimmed or repeated. Such a string cannot carry outside text, so it
// is not an injection however it is spliced in.
import * as ir from './ir';
import type { CodeModel } from './model';
import { localFunction } from './calls';
import { isConstant, isNumericCoercion } from './values';

const MAX_DEPTH = 12;

/** String methods whose result is made of the receiver's and the arguments' text only. */
const TEXT_METHODS = new Set([
  'slice', 'substring', 'substr', 'trim', 'trimStart', 'trimEnd', 'toUpperCase', 'toLowerCase', 'repeat', 'padStart', 'padEnd',
  'concat', 'join', 'replace', 'replaceAll', 'strip', 'rstrip', 'lstrip', 'upper', 'lower', 'toString',
]);

/** True when every character of the value's text comes from string constants or numbers in the source. */
export function isClosedString(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const d = depth + 1;
  if (isConstant(model, n) || isNumericCoercion(model, n)) return true;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Template': return !u.tag && u.exprs.every((e) => isClosedString(model, e, d));
    case 'Binary': return (u.op === '+' || u.op === '*' || u.op === '||' || u.op === '??') && isClosedString(model, u.left, d) && isClosedString(model, u.right, d);
    case 'Cond': return isClosedString(model, u.then, d) && isClosedString(model, u.else, d);
    case 'ArrayLit': return u.elements.every((e) => isClosedString(model, e.type === 'Spread' ? e.arg : e, d));
    case 'Ident': {
      const b = model.resolve(u);
      if (!b || b.kind !== 'var' || !b.assigns.length) return false;
      // Every value it is ever given, in any order (`q = '('; q += ' ?,'` in a loop).
      return b.assigns.every((a) => a.target.type === 'Ident' && !!a.value && isClosedString(model, a.value, d));
    }
    case 'Call': return isClosedCall(model, u, d);
    default: return false;
  }
}

function isClosedCall(model: CodeModel, c: ir.Call, d: number): boolean {
  const callee = ir.unwrap(c.callee);
  if (callee.type === 'Member') {
    // `ids.map(() => '?')`: whatever the array, each element is the callback's closed result.
    if (callee.prop === 'map' && c.args.length >= 1) {
      const cb = ir.unwrap(c.args[0]);
      return cb.type === 'Func' && returnsClosed(model, cb, d);
    }
    // `Array(n).fill('?')`, `new Array(n).fill('?')`.
    if (callee.prop === 'fill' && c.args.length >= 1) {
      const obj = ir.unwrap(callee.object);
      const fresh = obj.type === 'Call' && ir.dottedName(obj.callee) === 'Array';
      return fresh && isClosedString(model, c.args[0], d);
    }
    // `', '.join(['?'] * len(ids))` in Python: the receiver is the separator.
    if (TEXT_METHODS.has(callee.prop)) return isClosedString(model, callee.object, d) && c.args.every((a) => isClosedString(model, a, d));
    return false;
  }
  if (callee.type === 'Ident' && /^(Number|int|len|float|parseInt)$/.test(callee.name)) return true;
  if (callee.type === 'Ident' && /^(String|str)$/.test(callee.name)) return c.args.every((a) => isClosedString(model, a, d));
  const fn = localFunction(model, c);
  return !!fn && returnsClosed(model, fn, d);
}

/** A function all of whose returned values (or its expression body) are closed strings. */
function returnsClosed(model: CodeModel, fn: ir.Func, d: number): boolean {
  if (fn.body.type !== 'Block') return isClosedString(model, fn.body, d);
  const returns: ir.Return[] = [];
  ir.walk(fn.body, (n) => {
    if (n.type === 'Func') return false;
    if (n.type === 'Return') returns.push(n);
  });
  return returns.length > 0 && returns.every((r) => !!r.arg && isClosedString(model, r.arg, d));
}
