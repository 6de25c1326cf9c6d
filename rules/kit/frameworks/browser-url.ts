// Browser-side facts: values read from the page URL (`location.hash`, `location.search`,
// `new URLSearchParams(location.hash.slice(1)).get('access_token')`, `useSearchParams()`,
// `router.query.token`) and writes to browser storage (`localStorage.setItem`, `sessionStorage`,
// `document.cookie`, js-cookie `Cookies.set`).
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { constantString } from '../model/values';

export interface LocationRead {
  /** The expression that reads from the URL: the `.get('access_token')` call, or the `location.hash` member. */
  node: ir.Node;
  /** The parameter read, when the code names one. */
  param?: string;
  /** `location.hash`, `location.search`, `useSearchParams()`, `router.query`. */
  source: string;
}

const LOCATION_OBJECT = /^((window|document|globalThis|self)\.)?location$/;
const ROUTER_OBJECT = /^(router|route|this\.\$route|\$route)$/;

/** Where a value comes from the page URL, followed through local variables, calls and property reads. */
export function findLocationRead(model: CodeModel, n: ir.Node, depth = 0, seen = new Set<ir.Node>()): LocationRead | undefined {
  if (depth > 8 || seen.has(n)) return undefined;
  seen.add(n);
  const d = depth + 1;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Member': {
      const obj = ir.dottedName(u.object) ?? '';
      if (/^(hash|search|href)$/.test(u.prop) && LOCATION_OBJECT.test(obj)) return { node: u, source: `${obj}.${u.prop}` };
      const inner = ir.unwrap(u.object);
      // router.query.token, this.$route.query.token
      if (inner.type === 'Member' && inner.prop === 'query' && ROUTER_OBJECT.test(ir.dottedName(inner.object) ?? '')) return { node: u, param: u.prop, source: `${ir.dottedName(inner)}` };
      const r = findLocationRead(model, u.object, d, seen);
      return r && { ...r, param: r.param ?? u.prop };
    }
    case 'Index': return findLocationRead(model, u.object, d, seen);
    case 'Call': {
      const name = ir.calleeName(u) ?? '';
      if (u.callee.type === 'Ident' && name === 'useSearchParams') return { node: u, source: 'useSearchParams()' };
      if (u.callee.type === 'Member' && name === 'get' && u.args.length === 1) {
        const from = findLocationRead(model, u.callee.object, d, seen);
        if (from) return { node: u, param: constantString(model, u.args[0]) ?? from.param, source: from.source };
      }
      // location.hash.slice(1), decodeURIComponent(...), new URLSearchParams(location.search), /re/.exec(location.hash)
      if (u.callee.type === 'Member') {
        const r = findLocationRead(model, u.callee.object, d, seen);
        if (r) return r;
      }
      for (const a of u.args) {
        const r = findLocationRead(model, a, d, seen);
        if (r) return r;
      }
      return undefined;
    }
    case 'Ident': {
      const b = model.resolve(u);
      if (!b || b.kind !== 'var') return undefined;
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : b.value)) : [b.value];
      for (const v of values) {
        const r = v && v !== u ? findLocationRead(model, v, d, seen) : undefined;
        if (r) return r;
      }
      return undefined;
    }
    case 'Template': {
      for (const e of u.exprs) { const r = findLocationRead(model, e, d, seen); if (r) return r; }
      return undefined;
    }
    case 'Binary': return findLocationRead(model, u.left, d, seen) ?? findLocationRead(model, u.right, d, seen);
    case 'Cond': return findLocationRead(model, u.then, d, seen) ?? findLocationRead(model, u.else, d, seen);
    default: return undefined;
  }
}

export interface StorageWrite {
  value: ir.Node;
  /** The storage key expression, when there is one. */
  key?: ir.Node;
  /** `localStorage`, `sessionStorage`, `document.cookie`, `Cookies.set`. */
  storage: string;
}

/** `localStorage.setItem(k, v)`, `sessionStorage.setItem`, `Cookies.set(k, v)`, `localStorage.token = v`, `document.cookie = ...`. */
export function storageWrite(model: CodeModel, n: ir.Call | ir.Assign): StorageWrite | undefined {
  if (n.type === 'Call') {
    const callee = n.callee;
    if (callee.type !== 'Member' || n.args.length < 2 || (callee.prop !== 'setItem' && callee.prop !== 'set')) return undefined;
    const store = (ir.dottedName(callee.object) ?? '').replace(/^(window|globalThis|self)\./, '');
    if (callee.prop === 'setItem' && /^(localStorage|sessionStorage)$/.test(store)) return { key: n.args[0], value: n.args[1], storage: store };
    if (callee.prop === 'set' && /^(Cookies|cookies|Cookie)$/.test(store) && model.usesModule((m) => m === 'js-cookie' || m === 'universal-cookie' || m === 'react-cookie')) return { key: n.args[0], value: n.args[1], storage: 'a JavaScript-readable cookie' };
    return undefined;
  }
  if (!n.value) return undefined;
  const t = n.target;
  const target = ir.dottedName(t) ?? '';
  if (/^(window\.)?document\.cookie$/.test(target)) return { value: n.value, storage: 'document.cookie' };
  if (t.type === 'Member' || t.type === 'Index') {
    const store = (ir.dottedName(t.object) ?? '').replace(/^(window|globalThis|self)\./, '');
    if (!/^(localStorage|sessionStorage)$/.test(store)) return undefined;
    const key: ir.Node = t.type === 'Index' ? t.index : { type: 'Str', value: t.prop, prefix: '', start: t.propStart, end: t.end };
    return { key, value: n.value, storage: store };
  }
  return undefined;
}
