// Request taint within a function: does a value come from the HTTP request (body, query,
// params, headers, cookies; Flask/FastAPI/Django request objects; handler parameters),
// followed through local assignments and destructuring.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { isHandler, routeOf } from './routes';

const REQ_FIELDS = new Set([
  'body', 'query', 'params', 'headers', 'cookies', 'signedCookies', 'files', 'file', 'rawBody', 'url', 'originalUrl', 'path', 'hostname', 'ip',
  // Koa ctx.request / Next.js / Fetch Request
  'request', 'searchParams', 'nextUrl',
  // Flask / Django / FastAPI
  'args', 'form', 'json', 'values', 'data', 'GET', 'POST', 'FILES', 'META', 'COOKIES', 'query_params', 'path_params',
]);
const REQ_METHODS = new Set(['json', 'text', 'formData', 'get_json', 'get_data', 'param', 'get', 'getAll', 'header', 'get_header']);
const REQ_NAMES = /^(req|request|ctx)$/;

export type TaintLevel = 'request' | 'param' | undefined;

/**
 * 'request' when the value is read from the request (or a handler parameter), 'param' when it is
 * a parameter of an ordinary function (non-constant, caller-controlled), undefined otherwise.
 */
export function taintOf(model: CodeModel, n: ir.Node, depth = 0, seen = new Set<ir.Node>()): TaintLevel {
  if (depth > 10 || seen.has(n)) return undefined;
  seen.add(n);
  const d = depth + 1;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Ident': {
      const b = model.resolve(u);
      if (!b) return undefined;
      if (b.kind === 'param') {
        const fn = b.scope as ir.Func;
        if (b.value && b.value !== u) return taintOf(model, b.value, d, seen) ?? paramTaint(model, fn, b.name);
        return paramTaint(model, fn, b.name);
      }
      if (b.kind !== 'var') return undefined;
      let level: TaintLevel;
      for (const a of b.assigns) {
        const v = a.target.type === 'Ident' && a.target.name === b.name ? a.value : b.value;
        if (!v) continue;
        const t = taintOf(model, v, d, seen);
        if (t === 'request') return 'request';
        level ??= t;
      }
      if (!b.assigns.length && b.value) return taintOf(model, b.value, d, seen);
      return level;
    }
    case 'Member': {
      if (isRequestRead(model, u)) return 'request';
      return taintOf(model, u.object, d, seen);
    }
    case 'Index': return taintOf(model, u.object, d, seen) ?? taintOf(model, u.index, d, seen);
    case 'Call': {
      const callee = u.callee;
      if (callee.type === 'Member') {
        if (REQ_METHODS.has(callee.prop) && isRequestObject(model, callee.object)) return 'request';
        const r = taintOf(model, callee.object, d, seen);
        if (r) return r;
      }
      let level: TaintLevel;
      for (const a of u.args) {
        const t = taintOf(model, a.type === 'Keyword' ? a.value : a, d, seen);
        if (t === 'request') return t;
        level ??= t;
      }
      return level;
    }
    case 'Template': {
      let level: TaintLevel;
      for (const e of u.exprs) { const t = taintOf(model, e, d, seen); if (t === 'request') return t; level ??= t; }
      return level;
    }
    case 'Binary': {
      const l = taintOf(model, u.left, d, seen);
      if (l === 'request') return l;
      return taintOf(model, u.right, d, seen) ?? l;
    }
    case 'Cond': return taintOf(model, u.then, d, seen) ?? taintOf(model, u.else, d, seen);
    case 'ArrayLit': case 'ObjectLit': case 'Spread': case 'Keyword': case 'Prop': {
      for (const c of ir.children(u)) { const t = taintOf(model, c, d, seen); if (t) return t; }
      return undefined;
    }
    default: return undefined;
  }
}

function paramTaint(model: CodeModel, fn: ir.Func, _name: string): TaintLevel {
  return isHandler(model, fn) ? 'request' : 'param';
}

/** `req.body`, `ctx.request.body`, `request.args`, ... (the object, not a field of it). */
export function isRequestRead(model: CodeModel, m: ir.Member): boolean {
  return REQ_FIELDS.has(m.prop) && isRequestObject(model, m.object);
}

/** The request object itself: `req`, `request`, `ctx`, `ctx.request`, or a route handler's first parameter. */
export function isRequestObject(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Member') return u.prop === 'request' && isRequestObject(model, u.object);
  if (u.type !== 'Ident') return false;
  const b = model.resolve(u);
  if (b?.kind === 'param') {
    const fn = b.scope as ir.Func;
    const first = model.lang === 'py' && (fn.params[0]?.name === 'self') ? 1 : 0;
    if (b.paramIndex === first && (routeOf(model, fn) || isHandler(model, fn))) return true;
    return REQ_NAMES.test(u.name);
  }
  if (b?.kind === 'import') return u.name === 'request' && (b.module === 'flask' || b.module === 'quart');
  return REQ_NAMES.test(u.name) && !b;
}
