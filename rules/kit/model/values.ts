// Constant folding and string-building analysis shared by every rule that asks
// "is this value fixed by the source code, and if not, which parts vary?".
import * as ir from './ir';
import type { CodeModel } from './model';
import { isLoopOverConstants, isMutated, isParamOfConstantCalls } from './bound-constants';

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

export type StringPart =
  | { kind: 'const'; text: string; node?: ir.Node }
  | { kind: 'dyn'; node: ir.Node; /** how the value is inserted, e.g. '%s' or '{}' for Python formatting */ spec?: string };

export interface StringBuild {
  parts: StringPart[];
  /** The expression that builds the string (after following a variable), when it is one expression. */
  expr?: ir.Node;
  /** How it was built; fixes use it to decide whether they can rewrite it. */
  how: 'literal' | 'template' | 'concat' | 'percent' | 'format' | 'replace' | 'augmented' | 'other';
  /** The variable the string was read through, if any. */
  via?: ir.Ident;
}

/**
 * Splits a string-valued expression into constant and dynamic parts, following local variables
 * (including `let sql = ...; sql += ...` builds before the use) and Python `%` / `.format`.
 * Dynamic parts that are themselves constant are folded into constant text.
 */
export function stringParts(model: CodeModel, n: ir.Node, depth = 0, at?: ir.Node): StringBuild | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const d = depth + 1;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Str': return { parts: [{ kind: 'const', text: u.value, node: u }], expr: u, how: 'literal' };
    case 'Template': {
      if (u.tag) return undefined;
      const parts: StringPart[] = [{ kind: 'const', text: u.quasis[0] }];
      for (let i = 0; i < u.exprs.length; i++) {
        // A nested build (`${where.join(' AND ')}`, `${clause}`) contributes its own parts.
        const inner = ir.unwrap(u.exprs[i]);
        const sp = inner.type === 'Call' || inner.type === 'Ident' || inner.type === 'Template' ? stringParts(model, inner, d, at) : undefined;
        if (sp && sp.how !== 'literal') parts.push(...sp.parts);
        else pushValue(model, parts, u.exprs[i], d);
        parts.push({ kind: 'const', text: u.quasis[i + 1] });
      }
      return { parts: merge(parts), expr: u, how: u.exprs.length ? 'template' : 'literal' };
    }
    case 'Binary': {
      if (u.op === '+') {
        const l = stringParts(model, u.left, d, at);
        const r = stringParts(model, u.right, d, at);
        if (!l && !r) return undefined;
        const parts: StringPart[] = [];
        if (l) parts.push(...l.parts); else pushValue(model, parts, u.left, d);
        if (r) parts.push(...r.parts); else pushValue(model, parts, u.right, d);
        return { parts: merge(parts), expr: u, how: 'concat' };
      }
      if (u.op === '%' && model.lang === 'py') {
        const fmt = stringParts(model, u.left, d, at);
        if (!fmt || fmt.parts.some((p) => p.kind === 'dyn')) return undefined;
        const text = fmt.parts.map((p) => (p as { text: string }).text).join('');
        const args = ir.unwrap(u.right);
        const values = args.type === 'ArrayLit' && args.tuple ? args.elements : [args];
        return { parts: merge(splitPercent(model, text, values, d)), expr: u, how: 'percent' };
      }
      return undefined;
    }
    case 'Call': {
      const callee = u.callee;
      if (callee.type === 'Member' && callee.prop === 'format' && model.lang === 'py') {
        const fmt = stringParts(model, callee.object, d, at);
        if (!fmt || fmt.parts.some((p) => p.kind === 'dyn')) return undefined;
        const text = fmt.parts.map((p) => (p as { text: string }).text).join('');
        return { parts: merge(splitFormat(model, text, u, d)), expr: u, how: 'format' };
      }
      if (callee.type === 'Member' && (callee.prop === 'replace' || callee.prop === 'replaceAll') && u.args.length >= 2) {
        const base = stringParts(model, callee.object, d, at);
        if (!base) return undefined;
        const parts = [...base.parts];
        if (!isConstant(model, u.args[1])) parts.push({ kind: 'dyn', node: u.args[1] });
        return { parts: merge(parts), expr: u, how: 'replace' };
      }
      if (callee.type === 'Member' && callee.prop === 'concat') {
        const base = stringParts(model, callee.object, d, at);
        if (!base) return undefined;
        const parts = [...base.parts];
        for (const a of u.args) pushValue(model, parts, a, d);
        return { parts: merge(parts), expr: u, how: 'concat' };
      }
      if (callee.type === 'Member' && callee.prop === 'join') {
        const arr = resolveValue(model, callee.object);
        const arrId = ir.unwrap(callee.object);
        if (arr?.type !== 'ArrayLit' || (arrId.type === 'Ident' && isMutated(model, arrId))) return joinOfBuiltArray(model, callee.object, u, d);
        const sep = u.args[0] ? constantString(model, u.args[0]) ?? ' ' : ',';
        const parts: StringPart[] = [];
        arr.elements.forEach((e, i) => {
          if (i) parts.push({ kind: 'const', text: sep });
          const sp = stringParts(model, e, d, at);
          if (sp) parts.push(...sp.parts); else pushValue(model, parts, e, d);
        });
        return { parts: merge(parts), expr: u, how: 'other' };
      }
      return undefined;
    }
    case 'Ident': {
      const b = model.resolve(u);
      if (!b || b.kind !== 'var' || !b.assigns.length) return undefined;
      const use = at ?? u;
      // Assignments in order before the use: `=` restarts the build, `+=` appends.
      const before = b.assigns.filter((a) => a.start < use.start || a === b.node);
      let build: StringPart[] | undefined;
      let how: StringBuild['how'] = 'other';
      let expr: ir.Node | undefined;
      let appended = false;
      for (const a of before) {
        if (!a.value) continue;
        const v = a.target.type === 'Ident' ? a.value : b.value;
        if (!v) continue;
        if (a.op === '=') {
          const sp = stringParts(model, v, d, a);
          build = sp ? [...sp.parts] : undefined;
          how = sp?.how ?? 'other';
          expr = sp?.expr;
          appended = false;
        } else if (a.op === '+=' && build) {
          const sp = stringParts(model, v, d, a);
          if (sp) build.push(...sp.parts); else pushValue(model, build, v, d);
          appended = true;
        }
      }
      if (!build) return undefined;
      return { parts: merge(build), expr: appended ? undefined : expr, how: appended ? 'augmented' : how, via: u };
    }
    default: return undefined;
  }
}

/**
 * `where.join(' AND ')` over an array filled with `where.push(...)` in the same scope: the
 * classic dynamic-filter builder. When every pushed piece is constant text (numbers such as
 * `$${params.length}` allowed), the joined string carries no outside text.
 */
function joinOfBuiltArray(model: CodeModel, arrayExpr: ir.Node, join: ir.Call, depth: number): StringBuild | undefined {
  const id = ir.unwrap(arrayExpr);
  if (id.type !== 'Ident') return undefined;
  const b = model.resolve(id);
  if (!b || b.kind !== 'var' || b.assigns.length !== 1 || b.value?.type !== 'ArrayLit') return undefined;
  const pieces: ir.Node[] = [...b.value.elements];
  let escapes = false;
  ir.walk(b.scope, (n) => {
    if (n.type !== 'Ident' || n.name !== id.name || n === b.value || model.resolve(n) !== b) return;
    const m = n.parent;
    if (m?.type === 'Member' && m.object === n) {
      const call = m.parent;
      if (m.prop === 'push' || m.prop === 'unshift') {
        if (call?.type === 'Call' && call.callee === m) pieces.push(...call.args);
        return;
      }
      if (m.prop === 'join' || m.prop === 'length') return;
    }
    if (m?.type === 'Assign' && m.target === n) return;
    escapes = true;
  });
  if (escapes) return undefined;
  // Pieces are joined in an order only known at run time; their parts are what matters.
  const sep = join.args[0] ? constantString(model, join.args[0]) ?? ' ' : ',';
  const parts: StringPart[] = [];
  pieces.forEach((p, i) => {
    if (i) parts.push({ kind: 'const', text: sep });
    const sp = isConstant(model, p, depth) ? undefined : stringParts(model, p, depth + 1);
    if (sp) parts.push(...sp.parts.filter((x) => x.kind === 'const' || !isNumericCoercion(model, x.node)));
    else pushValue(model, parts, p, depth);
  });
  return { parts: merge(parts), expr: join, how: 'other' };
}

function pushValue(model: CodeModel, parts: StringPart[], e: ir.Node, depth: number) {
  const c = isConstant(model, e, depth) ? constantString(model, e, depth) : undefined;
  if (c !== undefined) parts.push({ kind: 'const', text: c, node: e });
  else if (isConstant(model, e, depth)) parts.push({ kind: 'const', text: '?', node: e });
  else parts.push({ kind: 'dyn', node: e });
}

function merge(parts: StringPart[]): StringPart[] {
  const out: StringPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p.kind === 'const' && last?.kind === 'const') out[out.length - 1] = { kind: 'const', text: last.text + p.text };
    else if (p.kind === 'const' && p.text === '') continue;
    else out.push(p.kind === 'const' ? { kind: 'const', text: p.text } : p);
  }
  return out;
}

function splitPercent(model: CodeModel, text: string, values: ir.Node[], depth: number): StringPart[] {
  const parts: StringPart[] = [];
  let i = 0;
  let last = 0;
  const re = /%(?:\(([^)]+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifr%])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[2] === '%') continue;
    parts.push({ kind: 'const', text: text.slice(last, m.index) });
    const v = values[i++];
    if (v) {
      const before = parts.length;
      pushValue(model, parts, v, depth);
      const p = parts[before];
      if (p && p.kind === 'dyn') p.spec = m[0];
    }
    last = m.index + m[0].length;
  }
  parts.push({ kind: 'const', text: text.slice(last) });
  return parts.map((p) => (p.kind === 'const' ? { ...p, text: p.text.replace(/%%/g, '%') } : p));
}

function splitFormat(model: CodeModel, text: string, call: ir.Call, depth: number): StringPart[] {
  const parts: StringPart[] = [];
  const positional = ir.positional(call);
  let auto = 0;
  let last = 0;
  const re = /\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (text[m.index - 1] === '{') continue;
    parts.push({ kind: 'const', text: text.slice(last, m.index) });
    const key = m[1];
    const v = key === '' ? positional[auto++] : /^\d+$/.test(key) ? positional[Number(key)] : ir.keywordArg(call, key);
    if (v) {
      const before = parts.length;
      pushValue(model, parts, v, depth);
      const p = parts[before];
      if (p && p.kind === 'dyn') p.spec = m[0];
    } else parts.push({ kind: 'dyn', node: call });
    last = m.index + m[0].length;
  }
  parts.push({ kind: 'const', text: text.slice(last) });
  return parts;
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
