// Constant folding shared by every rule that asks "is this value fixed by the source code?":
// literals, names bound once to constants, allowlist lookups, numeric coercions.
import * as ir from './ir';
import type { CodeModel } from './model';
import { isLoopOverConstants, isMutated, isParamOfConstantCalls } from './bound-constants';

export { isMutated };

const MAX_DEPTH = 8;

/**
 * True when the value is fixed by the source: a literal, a template or f-string whose parts are
 * all constant, a name bound once to such a value, arithmetic/concatenation of constants, a
 * lookup in a constant object/array (an allowlist), or a choice between constants.
 */
export function isConstant(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const d = depth + 1;
  switch (n.type) {
    case 'Str': case 'Num': case 'Lit': return true;
    case 'Template': return !n.tag && n.exprs.every((e) => isConstant(model, e, d));
    case 'Binary': return isConstant(model, n.left, d) && isConstant(model, n.right, d);
    case 'Unary': return n.op !== 'delete' && isConstant(model, n.arg, d);
    case 'Cond': return isConstant(model, n.then, d) && isConstant(model, n.else, d);
    case 'ArrayLit': return n.elements.every((e) => isConstant(model, e, d));
    case 'ObjectLit': return n.props.every((p) => p.type === 'Prop' && (p.key !== undefined || isConstant(model, p.keyNode, d)) && isConstant(model, p.value, d));
    case 'Ident': {
      if (n.name === 'undefined' || n.name === 'None') return true;
      const v = model.valueOf(n);
      if (v !== undefined) {
        if ((v.type === 'ArrayLit' || v.type === 'ObjectLit') && isMutated(model, n)) return false;
        return v !== n && v.type !== 'Func' && v.type !== 'Class' && isConstant(model, v, d);
      }
      // A name reassigned only with constants (`col = ALLOWED[x] if ... else 'id'`) is still constant.
      const b = model.resolve(n);
      if (!b) return false;
      if (b.kind === 'var' && b.assigns.length > 0) return b.assigns.every((a) => a.op === '=' && a.target.type === 'Ident' && !!a.value && isConstant(model, a.value, d));
      return isLoopOverConstants(model, b, d, isConstant) || isParamOfConstantCalls(model, b, d, isConstant);
    }
    case 'Member': {
      // A property of a constant object (`COLUMNS.name`), or `.length` of a constant.
      return isConstant(model, n.object, d);
    }
    case 'Index': {
      // An allowlist lookup: `SORTABLE[req.query.sort]` can only yield one of the constant values.
      const obj = resolveValue(model, n.object);
      return !!obj && (obj.type === 'ObjectLit' || obj.type === 'ArrayLit') && isConstant(model, obj, d);
    }
    case 'Call': {
      // `[...].join(',')`, `'a'.toUpperCase()` and friends over constants stay constant.
      const callee = n.callee;
      if (callee.type === 'Member' && PURE_STRING_METHODS.has(callee.prop)) return isConstant(model, callee.object, d) && n.args.every((a) => isConstant(model, a, d));
      if (callee.type === 'Ident' && (callee.name === 'String' || callee.name === 'str') && n.args.length === 1) return isConstant(model, n.args[0], d);
      // `ALLOWED.get(key, 'id')` on a constant dict yields one of its values or the default.
      if (callee.type === 'Member' && callee.prop === 'get' && n.args.length === 2) {
        const obj = resolveValue(model, callee.object);
        return obj?.type === 'ObjectLit' && isConstant(model, obj, d) && isConstant(model, n.args[1], d);
      }
      return false;
    }
    case 'Other':
      if ((n.kind === 'paren' || n.kind === 'as' || n.kind === 'nonNull' || n.kind === 'satisfies') && n.children.length) return isConstant(model, n.children[0], d);
      return false;
    default: return false;
  }
}

const PURE_STRING_METHODS = new Set(['join', 'toUpperCase', 'toLowerCase', 'trim', 'upper', 'lower', 'strip', 'concat', 'repeat', 'padStart', 'padEnd']);

/** Follows a name to the single value it is bound to (one hop at a time, bounded). */
export function resolveValue(model: CodeModel, n: ir.Node, depth = 0): ir.Node | undefined {
  const u = ir.unwrap(n);
  if (u.type !== 'Ident' || depth > MAX_DEPTH) return u;
  const v = model.valueOf(u);
  return v ? resolveValue(model, v, depth + 1) : undefined;
}

/** The string a constant expression folds to, when it can be computed. */
export function constantString(model: CodeModel, n: ir.Node, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const d = depth + 1;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Str': return u.value;
    case 'Num': return String(u.value);
    case 'Template': {
      if (u.tag) return undefined;
      let s = u.quasis[0];
      for (let i = 0; i < u.exprs.length; i++) {
        const e = constantString(model, u.exprs[i], d);
        if (e === undefined) return undefined;
        s += e + u.quasis[i + 1];
      }
      return s;
    }
    case 'Binary': {
      if (u.op !== '+') return undefined;
      const l = constantString(model, u.left, d);
      const r = l === undefined ? undefined : constantString(model, u.right, d);
      return l !== undefined && r !== undefined ? l + r : undefined;
    }
    case 'Ident': {
      const v = model.valueOf(u);
      return v && v !== u ? constantString(model, v, d) : undefined;
    }
    default: return undefined;
  }
}

/** Numeric coercions: their result cannot carry SQL or shell syntax. Follows local names. */
export function isNumericCoercion(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Num': return true;
    case 'Unary': return u.op === '+' || u.op === '-';
    case 'Binary':
      if (u.op === '||' || u.op === '??') return isNumericCoercion(model, u.left, depth + 1) && isNumericCoercion(model, u.right, depth + 1);
      return /^[-*/%]$|^\*\*$/.test(u.op);
    case 'Cond': return isNumericCoercion(model, u.then, depth + 1) && isNumericCoercion(model, u.else, depth + 1);
    case 'Ident': {
      const b = model.resolve(u);
      if (!b || b.kind !== 'var' || !b.assigns.length) return false;
      return b.assigns.every((a) => a.op === '=' && a.target.type === 'Ident' && !!a.value && isNumericCoercion(model, a.value, depth + 1));
    }
    case 'Member': return u.prop === 'length';
    case 'Call': {
      const name = ir.dottedName(u.callee);
      return !!name && /^(Number|parseInt|parseFloat|Math\.\w+|int|float|Number\.parseInt|Number\.parseFloat|BigInt|Number\.isFinite)$/.test(name);
    }
    default: return false;
  }
}
