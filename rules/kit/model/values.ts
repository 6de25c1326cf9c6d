// String-building analysis shared by every rule that asks "which parts of this string are fixed
// by the source code, and which vary?" (constant folding itself is in constants.ts).
import * as ir from './ir';
import type { CodeModel } from './model';
import { constantString, isConstant, isMutated, isNumericCoercion, resolveValue } from './constants';

export { constantString, isConstant, isMutated, isNumericCoercion, resolveValue };

/** How far string building follows variables, templates and calls into each other. */
const MAX_BUILD_DEPTH = 32;

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
  const u = ir.unwrap(n);
  if (depth > MAX_BUILD_DEPTH) {
    // Not silent: the engine reports where the analysis stopped following the build.
    model.noteLimit(u.start, `string building nested more than ${MAX_BUILD_DEPTH} levels deep (variables, templates, calls)`);
    return undefined;
  }
  const d = depth + 1;
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
        const parts = concatParts(model, u, d, at);
        return parts && { parts: merge(parts), expr: u, how: 'concat' };
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
 * The parts of `a + b + c + ...`, a chain nested along its left operands, walked in a loop so
 * that its length costs neither depth nor stack: 5 values in an INSERT make 11 terms. A `+` is a
 * string build when either side is one (else it is arithmetic and yields undefined), and a
 * side that is not a build is one value: `1 + n + 'px'` is the value `1 + n`, then `px`.
 */
function concatParts(model: CodeModel, top: ir.Binary, depth: number, at?: ir.Node): StringPart[] | undefined {
  const chain: ir.Binary[] = [];
  let leftmost: ir.Node = top;
  for (let cur = ir.unwrap(top); cur.type === 'Binary' && cur.op === '+'; cur = ir.unwrap(cur.left)) {
    chain.push(cur);
    leftmost = cur.left;
  }
  let acc = stringParts(model, leftmost, depth, at)?.parts;
  for (let i = chain.length - 1; i >= 0; i--) {
    const { left, right } = chain[i];
    const r = stringParts(model, right, depth, at);
    if (!acc && !r) continue;
    const parts: StringPart[] = acc ? acc : [];
    if (!acc) pushValue(model, parts, left, depth);
    if (r) parts.push(...r.parts); else pushValue(model, parts, right, depth);
    acc = parts;
  }
  return acc;
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
  for (const n of model.identsNamedIn(id.name, b.scope)) {
    if (!ir.isInside(n, b.scope) || model.resolve(n) !== b) continue;
    const m = n.parent;
    if (m?.type === 'Member' && m.object === n) {
      const call = m.parent;
      if (m.prop === 'push' || m.prop === 'unshift') {
        if (call?.type === 'Call' && call.callee === m) pieces.push(...call.args);
        continue;
      }
      if (m.prop === 'join' || m.prop === 'length') continue;
    }
    if (m?.type === 'Assign' && m.target === n) continue;
    escapes = true;
  }
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
