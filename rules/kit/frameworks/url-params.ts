// The parameters a URL expression carries in its query string or fragment: `name=${value}` pairs in
// templates, concatenations and f-strings, `new URL(...)` objects with `searchParams.set/append`
// or `hash` assignments, URLSearchParams / querystring / urlencode objects, Flask `url_for`
// keywords; followed through local variables.
import * as ir from '../model/ir';
import type { Binding, CodeModel } from '../model/model';
import { constantString, resolveValue, stringParts } from '../model/values';

export type UrlPart = 'query' | 'fragment' | 'path';

/** Where a parameter is written, so a fix can take it out again. */
export type ParamSite =
  /** `name=${value}` inside a string build; `via` is the variable the sink read the string through. */
  | { kind: 'string'; expr: ir.Node; via?: ir.Ident }
  /** `url.searchParams.set('name', value)` or `params.append('name', value)`. */
  | { kind: 'setter'; call: ir.Call }
  /** `{ name: value }` handed to URLSearchParams, querystring.stringify or urlencode. */
  | { kind: 'prop'; prop: ir.Prop }
  /** Flask `url_for(..., name=value)`, Starlette `include_query_params(name=value)`. */
  | { kind: 'keyword'; keyword: ir.Keyword; call: ir.Call };

export interface UrlParam {
  /** The parameter name; '' when a value fills the whole query or fragment (`#${token}`). */
  name: string;
  value: ir.Node;
  part: UrlPart;
  site: ParamSite;
}

export interface UrlShape {
  params: UrlParam[];
  /** The constant text of the URL with `…` for each value, for context checks (`/reset-password?...`). */
  text: string;
}

const PLACEHOLDER = '…';
const MAX_DEPTH = 6;

/** The parameters a URL carries; `part` says what the expression is when it is not a whole URL (a `location.hash` value). */
export function urlShape(model: CodeModel, n: ir.Node, part: UrlPart = 'path'): UrlShape {
  const out: UrlShape = { params: [], text: '' };
  collect(model, n, part, out, 0);
  return out;
}

function collect(model: CodeModel, n: ir.Node, ctx: UrlPart, out: UrlShape, depth: number): void {
  if (depth > MAX_DEPTH) { out.text += PLACEHOLDER; return; }
  const d = depth + 1;
  const u = ir.unwrap(n);
  // url.toString(), url.href, String(url)
  if (u.type === 'Member' && (u.prop === 'href' || u.prop === 'toString')) return collect(model, u.object, ctx, out, d);
  if (u.type === 'Call') {
    const name = ir.calleeName(u) ?? '';
    if (name === 'toString' && u.callee.type === 'Member') return collect(model, u.callee.object, ctx, out, d);
    if (name === 'String' && u.callee.type === 'Ident' && u.args[0]) return collect(model, u.args[0], ctx, out, d);
    if (u.isNew && name === 'URL') {
      if (u.args[0]) collect(model, u.args[0], ctx, out, d);
      return;
    }
    if (u.isNew && name === 'URLSearchParams') {
      if (u.args[0]) fromObject(model, u.args[0], ctx === 'path' ? 'query' : ctx, out, d);
      return;
    }
    if ((name === 'stringify' && ir.dottedName(u.callee) !== 'JSON.stringify') || name === 'urlencode') {
      if (u.args[0]) fromObject(model, u.args[0], ctx === 'path' ? 'query' : ctx, out, d);
      return;
    }
    if (model.lang === 'py' && (name === 'url_for' || name === 'include_query_params' || name === 'replace_query_params')) {
      if (u.callee.type === 'Member' && name !== 'url_for') collect(model, u.callee.object, ctx, out, d);
      // The endpoint name stands in for the path (`url_for("reset_password", token=...)`).
      const endpoint = name === 'url_for' && ir.positional(u)[0] ? constantString(model, ir.positional(u)[0]) : undefined;
      if (endpoint) out.text += endpoint;
      for (const a of u.args) {
        if (a.type !== 'Keyword') continue;
        if (a.name === '_anchor') { collect(model, a.value, 'fragment', out, d); continue; }
        if (a.name.startsWith('_')) continue;
        out.params.push({ name: a.name, value: a.value, part: 'query', site: { kind: 'keyword', keyword: a, call: u } });
      }
      return;
    }
  }
  if (u.type === 'Ident') {
    const b = model.resolve(u);
    const v = b?.kind === 'var' && b.value ? ir.unwrap(b.value) : undefined;
    if (b && v?.type === 'Call' && v.isNew && (ir.calleeName(v) === 'URL' || ir.calleeName(v) === 'URLSearchParams')) {
      collect(model, v, ctx, out, d);
      mutations(model, b, ir.calleeName(v) === 'URL', out, d);
      return;
    }
  }
  fromString(model, u, ctx, out, d);
}

/** `name=${value}` pairs of a string build. */
function fromString(model: CodeModel, n: ir.Node, ctx: UrlPart, out: UrlShape, depth: number): void {
  const sp = stringParts(model, n);
  if (!sp) {
    if (n.type === 'Ident' || n.type === 'Member' || n.type === 'Call') out.text += PLACEHOLDER;
    return;
  }
  const site: ParamSite = { kind: 'string', expr: sp.expr ?? n, via: sp.via };
  let text = '';
  for (const p of sp.parts) {
    if (p.kind === 'const') { text += p.text; continue; }
    const pair = (ctx === 'path' ? /([?&#])([\w.\-[\]%]+)=$/ : /(^|[?&#])([\w.\-[\]%]+)=$/).exec(text);
    const part: UrlPart = text.includes('#') ? 'fragment' : text.includes('?') || pair?.[1] === '&' ? 'query' : ctx;
    if (pair) {
      out.params.push({ name: pair[2], value: p.node, part, site });
    } else if (/[?&#]$/.test(text) || (ctx !== 'path' && text === '')) {
      // A whole query string or fragment inserted at once: `?${params}`, `#${token}`.
      const nested: UrlShape = { params: [], text: '' };
      collect(model, p.node, part === 'path' ? 'query' : part, nested, depth + 1);
      if (nested.params.length) out.params.push(...nested.params);
      else out.params.push({ name: '', value: p.node, part: part === 'path' ? 'query' : part, site });
    } else if (text === '') {
      // A base URL the rest is appended to: `${url}&token=${t}`.
      const nested: UrlShape = { params: [], text: '' };
      collect(model, p.node, ctx, nested, depth + 1);
      out.params.push(...nested.params);
      text += nested.text;
      continue;
    }
    text += PLACEHOLDER;
  }
  out.text += text;
}

/** Parameters of an object, dict, `dict(...)` call, pair list or string handed to a query-string builder. */
function fromObject(model: CodeModel, n: ir.Node, part: UrlPart, out: UrlShape, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const u = resolveValue(model, n) ?? ir.unwrap(n);
  if (u.type === 'ObjectLit') {
    for (const p of u.props) {
      if (p.type === 'Spread') { fromObject(model, p.arg, part, out, depth + 1); continue; }
      const name = p.key ?? constantString(model, p.keyNode);
      if (name !== undefined) out.params.push({ name, value: p.value, part, site: { kind: 'prop', prop: p } });
    }
    return;
  }
  if (u.type === 'Call' && u.callee.type === 'Ident' && u.callee.name === 'dict') {
    for (const a of u.args) if (a.type === 'Keyword') out.params.push({ name: a.name, value: a.value, part, site: { kind: 'keyword', keyword: a, call: u } });
    return;
  }
  if (u.type === 'ArrayLit') {
    for (const e of u.elements) {
      const pair = ir.unwrap(e);
      if (pair.type !== 'ArrayLit' || pair.elements.length !== 2) continue;
      const name = constantString(model, pair.elements[0]);
      if (name !== undefined) out.params.push({ name, value: pair.elements[1], part, site: { kind: 'string', expr: pair } });
    }
    return;
  }
  collect(model, n, part, out, depth + 1);
}

/** `url.searchParams.set(...)`, `params.append(...)`, `url.hash = ...`, `url.search = ...` on a URL or URLSearchParams variable. */
function mutations(model: CodeModel, b: Binding, isUrl: boolean, out: UrlShape, depth: number): void {
  const refersTo = (n: ir.Node) => n.type === 'Ident' && n.name === b.name && model.resolve(n) === b;
  for (const c of model.calls) {
    if (!ir.isInside(c, b.scope) || c.callee.type !== 'Member' || !/^(set|append)$/.test(c.callee.prop) || c.args.length < 2) continue;
    const obj = ir.unwrap(c.callee.object);
    const onTarget = isUrl ? obj.type === 'Member' && obj.prop === 'searchParams' && refersTo(ir.unwrap(obj.object)) : refersTo(obj);
    if (!onTarget) continue;
    const name = constantString(model, c.args[0]);
    if (name !== undefined) out.params.push({ name, value: c.args[1], part: 'query', site: { kind: 'setter', call: c } });
  }
  if (!isUrl) return;
  for (const n of model.nodesOfType('Assign')) {
    if (!ir.isInside(n, b.scope) || n.target.type !== 'Member' || !n.value || !refersTo(ir.unwrap(n.target.object))) continue;
    if (n.target.prop === 'hash') collect(model, n.value, 'fragment', out, depth + 1);
    else if (n.target.prop === 'search') collect(model, n.value, 'query', out, depth + 1);
  }
}
