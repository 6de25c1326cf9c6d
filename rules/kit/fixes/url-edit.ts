// Taking a parameter out of a URL expression (the inverse of url-params.ts): the `name=value`
// pair leaves a template, f-string or concatenation with its separator handled (`?a=1&t=x` →
// `?a=1`, `?t=x&a=1` → `?a=1`, `#t=x` → ``), a `searchParams.set(...)` statement goes, a
// `url_for` keyword goes. Returns undefined when the shape is one it cannot rewrite exactly.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';
import type { UrlParam } from '../frameworks/url-params';
import { jsString, lineStartOf, pyString, quoteStyleOf } from '../model/literals';

export function removeParamEdits(model: CodeModel, params: UrlParam[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const byExpr = new Map<ir.Node, UrlParam[]>();
  for (const p of params) {
    const s = p.site;
    if (s.kind === 'string') {
      const list = byExpr.get(s.expr) ?? [];
      list.push(p);
      byExpr.set(s.expr, list);
    } else if (s.kind === 'setter') {
      const e = statementLineEdit(model, s.call);
      if (!e) return undefined;
      edits.push(e);
    } else if (s.kind === 'keyword') {
      const i = s.call.args.indexOf(s.keyword);
      if (i < 1) return undefined;
      edits.push({ start: s.call.args[i - 1].end, end: s.keyword.end, newText: '' });
    } else return undefined;
  }
  for (const [expr, ps] of byExpr) {
    const e = removeFromString(model, ir.unwrap(expr), ps);
    if (!e) return undefined;
    edits.push(...e);
  }
  return edits;
}

/** Deletes the whole line of an expression statement (`url.searchParams.set(...);`). */
function statementLineEdit(model: CodeModel, call: ir.Call): TextEdit | undefined {
  let stmt: ir.Node = call;
  while (stmt.parent && stmt.parent.type === 'Await') stmt = stmt.parent;
  if (stmt.parent?.type !== 'ExprStmt') return undefined;
  stmt = stmt.parent;
  const text = model.text;
  const start = lineStartOf(text, stmt.start);
  if (text.slice(start, stmt.start).trim()) return undefined;
  let end = text.indexOf('\n', stmt.end);
  end = end === -1 ? text.length : end + 1;
  if (text.slice(stmt.end, end).trim().replace(/^;/, '').trim()) return undefined;
  return { start, end, newText: '' };
}

/** A template, f-string or `+` chain as constant and value pieces with their source ranges. */
interface Piece { kind: 'const' | 'dyn'; node?: ir.Node; /** source range of the raw text (const) or of `${...}` / `{...}` / the operand (dyn) */ start: number; end: number }

function removeFromString(model: CodeModel, expr: ir.Node, params: UrlParam[]): TextEdit[] | undefined {
  if (expr.type === 'Template' && !expr.tag) return removeFromTemplate(model, expr, params);
  if (expr.type === 'Binary' && expr.op === '+') return removeFromConcat(model, expr, params);
  return undefined;
}

function templatePieces(model: CodeModel, t: ir.Template): Piece[] | undefined {
  const text = model.text;
  const js = model.lang === 'js';
  const open = js ? '`' : /^[a-zA-Z]*("""|'''|"|')/.exec(text.slice(t.start, t.start + 6))?.[0];
  if (!open) return undefined;
  const close = js ? '`' : open.replace(/^[a-zA-Z]*/, '');
  const pieces: Piece[] = [];
  let pos = t.start + open.length;
  for (const e of t.exprs) {
    const brace = text.lastIndexOf(js ? '${' : '{', e.start);
    if (brace < pos) return undefined;
    pieces.push({ kind: 'const', start: pos, end: brace });
    const end = closingBrace(text, e.end);
    if (end === -1) return undefined;
    pieces.push({ kind: 'dyn', node: e, start: brace, end: end + 1 });
    pos = end + 1;
  }
  pieces.push({ kind: 'const', start: pos, end: t.end - close.length });
  return pieces;
}

/** The `}` closing an interpolation whose expression ends at `from` (skips a Python `!r` / `:spec`). */
function closingBrace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '}') return i;
    if (ch === '\n' || ch === '{') return -1;
  }
  return -1;
}

function removeFromTemplate(model: CodeModel, t: ir.Template, params: UrlParam[]): TextEdit[] | undefined {
  const pieces = templatePieces(model, t);
  if (!pieces) return undefined;
  const text = model.text;
  const dyn = pieces.filter((p) => p.kind === 'dyn');
  // The raw text with one placeholder per interpolation; pairs are cut from it, then it is rebuilt.
  let s = pieces.map((p) => (p.kind === 'const' ? text.slice(p.start, p.end) : placeholder(dyn.indexOf(p)))).join('');
  for (const p of params) {
    const k = dyn.findIndex((x) => x.node === p.value);
    const next = k === -1 ? undefined : cutPair(s, p.name, placeholder(k));
    if (next === undefined) return undefined;
    s = next;
  }
  const open = /^[a-zA-Z]*("""|'''|"|'|`)/.exec(text.slice(t.start, t.start + 6))![0];
  const close = open.replace(/^[a-zA-Z]*/, '');
  const rebuilt = s.replace(/\u0000(\d+)\u0001/g, (_, i: string) => text.slice(dyn[Number(i)].start, dyn[Number(i)].end));
  // A template left without interpolations reads better as a plain string.
  if (!/\u0000/.test(s)) {
    if (model.lang === 'js' && !/[`\\\n'"]|\$\{/.test(s)) return [{ start: t.start, end: t.end, newText: jsString(s, preferredQuote(model)) }];
    if (model.lang === 'py' && !/[\\{}\n]/.test(s) && close.length === 1) return [{ start: t.start, end: t.end, newText: open.replace(/[fF]/g, '') + s + close }];
  }
  return [{ start: t.start, end: t.end, newText: open + rebuilt + close }];
}

function placeholder(i: number): string {
  return `\u0000${i}\u0001`;
}

/**
 * Cuts `name=value` (value given as its placeholder) out of a URL text: `?t=x&a=1` → `?a=1`,
 * `?a=1&t=x` → `?a=1`, `#t=x` → ``. The value must fill the parameter (followed by `&`, `#` or the end).
 */
function cutPair(s: string, name: string, value: string): string | undefined {
  const pair = (name ? escapeRe(name) + '=' : '') + escapeRe(value);
  const m = new RegExp(`([?&#])${pair}(?=[&#]|$)`).exec(s);
  if (!m) return undefined;
  const at = m.index;
  const end = at + m[0].length;
  if (m[1] === '&') return s.slice(0, at) + s.slice(end);
  if (s[end] === '&') return s.slice(0, at + 1) + s.slice(end + 1);
  return s.slice(0, at) + s.slice(end);
}

/** `'/app?token=' + token + '&tab=1'` → `'/app?tab=1'`: the chain is rebuilt when it sits on one line. */
function removeFromConcat(model: CodeModel, expr: ir.Binary, params: UrlParam[]): TextEdit[] | undefined {
  const text = model.text;
  if (text.slice(expr.start, expr.end).includes('\n')) return undefined;
  const operands: ir.Node[] = [];
  const flatten = (n: ir.Node) => { if (n.type === 'Binary' && n.op === '+') { flatten(n.left); flatten(n.right); } else operands.push(n); };
  flatten(expr);
  const quoteLike = operands.find((o) => o.type === 'Str');
  if (!quoteLike || operands.some((o) => /[\u0000\u0001]/.test(o.type === 'Str' ? o.value : ''))) return undefined;
  let s = operands.map((o, i) => (o.type === 'Str' ? o.value : placeholder(i))).join('');
  for (const p of params) {
    const k = operands.indexOf(p.value);
    const next = k === -1 ? undefined : cutPair(s, p.name, placeholder(k));
    if (next === undefined) return undefined;
    s = next;
  }
  const style = quoteStyleOf(model, quoteLike);
  const literal = (v: string) => (model.lang === 'js' ? jsString(v, style.quote) : pyString(v, style));
  const parts = s.split(/\u0000(\d+)\u0001/);
  const out: string[] = [];
  parts.forEach((part, i) => {
    if (i % 2) out.push(text.slice(operands[Number(part)].start, operands[Number(part)].end));
    else if (part) out.push(literal(part));
  });
  return [{ start: expr.start, end: expr.end, newText: out.length ? out.join(' + ') : literal('') }];
}

/** The quote the file uses for plain strings (its first string literal), `'` by default. */
export function preferredQuote(model: CodeModel): string {
  return model.cached('preferredQuote', () => {
    const first = model.nodesOfType('Str').find((n) => /^['"]/.test(model.text[n.start]));
    return first ? model.text[first.start] : model.lang === 'js' ? "'" : '"';
  });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
