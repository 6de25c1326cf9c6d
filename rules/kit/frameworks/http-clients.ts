// Outbound HTTP calls: which calls send a request, to which URL, with which method, and whether a
// timeout bounds them (on the call, or as a default of the client instance it goes through).
// JS: fetch (and undici's), axios and its instances, got and its extensions, ky, superagent, node's
// http/https. Python: requests (and Session), httpx (and Client/AsyncClient), urllib, aiohttp.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { constantString } from '../model/values';

export interface HttpCall {
  call: ir.Call;
  /** How messages name it: `fetch`, `axios.get`, `requests.post`, `client.get`. */
  name: string;
  /** Upper-case method when the call says it; `GET` for fetch and friends without one. */
  method: string;
  /** The URL argument (or the `url` option); undefined when the URL comes from instance config only. */
  url?: ir.Node;
  /** The options object or keywords that configure the request, when any. */
  options?: ir.Node;
  /** A timeout (or abort signal) is set on the call or inherited from the client instance. */
  timeout: boolean;
  library: 'fetch' | 'axios' | 'got' | 'ky' | 'superagent' | 'node-http' | 'requests' | 'httpx' | 'urllib' | 'aiohttp';
}

const VERBS = /^(get|post|put|patch|delete|head|options|request)$/;
// undici's request bounds the wait for headers and the idle time between body chunks (headersTimeout, bodyTimeout).
const JS_TIMEOUT_KEYS = /^(timeout|signal|timeoutMs|deadline|headersTimeout|bodyTimeout)$/;
const PY_TIMEOUT_KEYS = /^(timeout)$/;

/** All outbound HTTP calls of the file (cached). */
export function httpCalls(model: CodeModel): HttpCall[] {
  return model.cached('httpCalls', () => model.calls.map((c) => httpCall(model, c)).filter((h): h is HttpCall => !!h));
}

/** The outbound HTTP request a call sends, if it is one (judged once per call: several rules ask). */
export function httpCall(model: CodeModel, c: ir.Call): HttpCall | undefined {
  if (c.isNew) return undefined;
  const cache = model.table<ir.Call, HttpCall | null>('httpCall');
  const hit = cache.get(c);
  if (hit !== undefined) return hit ?? undefined;
  const h = model.lang === 'py' ? pythonCall(model, c) : jsCall(model, c);
  cache.set(c, h ?? null);
  return h;
}

/** Per file: asked of every call, so kept beside the model rather than looked up in its memo. */
const fileUsesHttpModule = new WeakMap<CodeModel, boolean>();

function usesJsHttpModule(model: CodeModel): boolean {
  let uses = fileUsesHttpModule.get(model);
  if (uses === undefined) fileUsesHttpModule.set(model, (uses = model.usesModule((m) => JS_HTTP_MODULES.test(m))));
  return uses;
}

/** Modules whose calls (or whose instances' calls) jsCall recognises besides a bare `fetch(...)`. */
const FETCH_NAMES = /^(fetch|\$fetch|ofetch)$/;
const JS_HTTP_MODULES = /^(undici|axios|got|ky|superagent|(node:)?https?)$/;

function jsCall(model: CodeModel, c: ir.Call): HttpCall | undefined {
  // Without one of those modules in the file only `fetch` and its look-alikes can send a request:
  // most calls are then ruled out before any name is built.
  if (!(c.callee.type === 'Ident' && FETCH_NAMES.test(c.callee.name)) && !usesJsHttpModule(model)) return undefined;
  const name = ir.dottedName(c.callee) ?? '';
  const last = ir.calleeName(c) ?? '';
  const root = rootName(c.callee);
  const module = root ? model.moduleOf(root)?.module : undefined;
  // fetch(url, init), undici's fetch/request.
  // undici's functions are often imported under another name: `import { request as undiciRequest }`.
  const undiciName = module === 'undici' && c.callee.type === 'Ident' ? model.moduleOf(c.callee.name)?.imported ?? last : last;
  if ((c.callee.type === 'Ident' && FETCH_NAMES.test(last)) || (module === 'undici' && /^(fetch|request)$/.test(undiciName))) {
    const init = c.args[1];
    const method = init ? optionString(model, init, 'method') ?? 'GET' : 'GET';
    return { call: c, name, method: method.toUpperCase(), url: c.args[0], options: init, timeout: hasKey(model, init, JS_TIMEOUT_KEYS) || (last === 'ofetch' || last === '$fetch') && hasKey(model, init, /^timeout$/), library: 'fetch' };
  }
  if (module === 'http' || module === 'https' || module === 'node:http' || module === 'node:https') {
    if (!/^(get|request)$/.test(last)) return undefined;
    const opts = c.args.find((a) => ir.unwrap(a).type === 'ObjectLit');
    return { call: c, name, method: last === 'get' ? 'GET' : optionString(model, opts, 'method')?.toUpperCase() ?? 'GET', url: c.args[0], options: opts, timeout: hasKey(model, opts, JS_TIMEOUT_KEYS) || calledSetTimeout(c), library: 'node-http' };
  }
  const lib = jsLibrary(model, c, module, root);
  if (!lib) return undefined;
  const verb = VERBS.test(last) ? last : c.callee.type === 'Ident' || last === root ? 'request' : undefined;
  if (!verb) return undefined;
  // axios(url, config) / axios.get(url, config) / axios.post(url, data, config) / axios.request(config).
  const configArg = verb === 'request' ? c.args[c.args.length - 1] : /^(post|put|patch)$/.test(verb) && lib === 'axios' ? c.args[2] : c.args[1];
  const urlArg = verb === 'request' && c.args.length === 1 && ir.unwrap(c.args[0]).type === 'ObjectLit' ? optionNode(c.args[0], 'url') : c.args[0];
  const method = verb === 'request' ? optionString(model, configArg, 'method')?.toUpperCase() ?? 'GET' : verb.toUpperCase();
  // ky aborts after ten seconds unless told `timeout: false`.
  const off = disablesTimeout(model, configArg);
  const timeout = (lib === 'ky' && !off) || (hasKey(model, configArg, JS_TIMEOUT_KEYS) && !off) || (lib === 'superagent' && ir.methodsChainedAfter(c).some((m) => m === 'timeout')) || instanceHasTimeout(model, c, lib);
  return { call: c, name, method, url: urlArg, options: configArg, timeout, library: lib };
}

/** The JS client library behind a call: the module itself, or an instance made by `axios.create({...})`, `got.extend({...})`, `ky.create(...)`. */
function jsLibrary(model: CodeModel, c: ir.Call, module: string | undefined, root: string | undefined): HttpCall['library'] | undefined {
  const byModule = (m?: string) => (m === 'axios' ? 'axios' : m === 'got' ? 'got' : m === 'ky' ? 'ky' : m === 'superagent' ? 'superagent' : undefined);
  const direct = byModule(module);
  if (direct) return direct;
  const instance = root ? instanceMaker(model, root) : undefined;
  return instance ? byModule(instance.module) : undefined;
}

/**
 * `const api = axios.create({ timeout: 5000 })`: the module that made the instance and its config.
 * Once per name: every call rooted at `pool`, `res` or `db` asks it again.
 */
function instanceMaker(model: CodeModel, name: string): { module?: string; config?: ir.Node } | undefined {
  if (!instanceNames(model).has(name)) return undefined;
  const memo = model.table<string, { module?: string; config?: ir.Node } | null>('httpInstanceMakers');
  let made = memo.get(name);
  if (made === undefined) memo.set(name, (made = findInstanceMaker(model, name) ?? null));
  return made ?? undefined;
}

/**
 * Names assigned a `create(...)` / `extend(...)` result anywhere in the file: only these can be
 * bound to an instance, so the roots of other calls (`res`, `pool`, `z`) need no scope lookup.
 */
function instanceNames(model: CodeModel): Set<string> {
  return model.cached('httpInstanceNames', () => {
    const names = new Set<string>();
    for (const a of model.nodesOfType('Assign')) {
      if (a.target.type !== 'Ident' || !a.value) continue;
      const v = ir.unwrap(a.value);
      if (v.type !== 'Call') continue;
      const made = ir.calleeName(v);
      if (made === 'create' || made === 'extend') names.add(a.target.name);
    }
    return names;
  });
}

function findInstanceMaker(model: CodeModel, name: string): { module?: string; config?: ir.Node } | undefined {
  const b = model.resolve(name, model.root);
  const v = b?.value && ir.unwrap(b.value);
  if (v?.type !== 'Call' || !/^(create|extend)$/.test(ir.calleeName(v) ?? '')) return undefined;
  const r = rootName(v.callee);
  return { module: r ? model.moduleOf(r)?.module : undefined, config: v.args[0] };
}

/** The instance sets a timeout for every request: `axios.create({ timeout })`, `got.extend({ timeout })`, or `api.defaults.timeout = ...`. */
function instanceHasTimeout(model: CodeModel, c: ir.Call, lib: HttpCall['library']): boolean {
  const root = rootName(c.callee);
  if (!root) return false;
  const maker = instanceMaker(model, root);
  if (maker && hasKey(model, maker.config, JS_TIMEOUT_KEYS)) return true;
  // `axios.defaults.timeout = 10000` on the module or an instance, anywhere in the file.
  return lib === 'axios' && /\.defaults\.timeout\s*=/.test(model.text);
}

function pythonCall(model: CodeModel, c: ir.Call): HttpCall | undefined {
  const name = ir.dottedName(c.callee) ?? '';
  const last = ir.calleeName(c) ?? '';
  const root = rootName(c.callee);
  const module = root ? model.moduleOf(root)?.module : undefined;
  let library: HttpCall['library'] | undefined;
  if (module === 'requests' || module === 'httpx') library = module;
  else if (module === 'urllib.request' || name === 'urllib.request.urlopen' || (last === 'urlopen' && /urllib/.test(module ?? ''))) library = 'urllib';
  else if (root) {
    // `session = requests.Session()`, `client = httpx.Client(timeout=10)`, `async with aiohttp.ClientSession() as s`.
    const made = pyInstance(model, c, root);
    if (made) library = made.library;
  }
  if (!library) return undefined;
  if (library === 'urllib') {
    if (last !== 'urlopen') return undefined;
    return { call: c, name, method: 'GET', url: c.args[0], timeout: !!ir.keywordArg(c, 'timeout') || ir.positional(c).length >= 3, library };
  }
  if (!VERBS.test(last) && last !== 'stream') return undefined;
  const pos = ir.positional(c);
  const method = last === 'request' ? (pos[0] && constantString(model, pos[0]))?.toUpperCase() ?? 'GET' : last === 'stream' ? (pos[0] && constantString(model, pos[0]))?.toUpperCase() ?? 'GET' : last.toUpperCase();
  const url = last === 'request' || last === 'stream' ? pos[1] ?? ir.keywordArg(c, 'url') : pos[0] ?? ir.keywordArg(c, 'url');
  const made = root ? pyInstance(model, c, root) : undefined;
  const explicit = c.args.find((a): a is ir.Keyword => a.type === 'Keyword' && PY_TIMEOUT_KEYS.test(a.name));
  const disabled = !!explicit && ir.unwrap(explicit.value).type === 'Lit';
  // httpx applies a five-second default to every request unless told `timeout=None`.
  const timeout = library === 'httpx' ? !disabled : (!!explicit && !disabled) || !!made?.timeout;
  return { call: c, name, method, url, timeout, library };
}

function pyInstance(model: CodeModel, c: ir.Call, root: string): { library: HttpCall['library']; timeout: boolean } | undefined {
  const b = model.resolve(root, c);
  const v = b?.value && ir.unwrap(b.value);
  if (v?.type !== 'Call') return undefined;
  const maker = ir.dottedName(v.callee) ?? '';
  const r = rootName(v.callee);
  const module = r ? model.moduleOf(r)?.module : undefined;
  const timeout = v.args.some((a) => a.type === 'Keyword' && PY_TIMEOUT_KEYS.test(a.name));
  if ((module === 'requests' && /Session$/.test(maker)) || maker === 'Session' && model.moduleOf('Session')?.module === 'requests') return { library: 'requests', timeout };
  if (module === 'httpx' && /(Async)?Client$/.test(maker)) return { library: 'httpx', timeout: true };
  if (module === 'aiohttp' && /ClientSession$/.test(maker)) return { library: 'aiohttp', timeout };
  return undefined;
}

function rootName(n: ir.Node): string | undefined {
  let cur = ir.unwrap(n);
  for (let links = 0; links < ir.MAX_CHAIN && (cur.type === 'Member' || (cur.type === 'Call' && cur.callee.type === 'Member')); links++) cur = ir.unwrap(cur.type === 'Member' ? cur.object : (cur.callee as ir.Member).object);
  return cur.type === 'Ident' ? cur.name : undefined;
}

function optionNode(n: ir.Node | undefined, key: string): ir.Node | undefined {
  const u = n && ir.unwrap(n);
  if (u?.type !== 'ObjectLit') return undefined;
  const p = u.props.find((x): x is ir.Prop => x.type === 'Prop' && x.key === key);
  return p?.value;
}

function optionString(model: CodeModel, n: ir.Node | undefined, key: string): string | undefined {
  const v = optionNode(n && resolveObject(model, n), key);
  return v ? constantString(model, v) : undefined;
}

/** An options object literal, followed through one local name (`const opts = {...}; fetch(url, opts)`). */
function resolveObject(model: CodeModel, n: ir.Node): ir.Node {
  const u = ir.unwrap(n);
  if (u.type !== 'Ident') return u;
  const v = model.valueOf(u);
  return v ? ir.unwrap(v) : u;
}

/** The options set one of the keys; a spread or an options object we cannot see counts as unknown (not set). */
function hasKey(model: CodeModel, n: ir.Node | undefined, keys: RegExp): boolean {
  if (!n) return false;
  const u = resolveObject(model, n);
  return u.type === 'ObjectLit' && u.props.some((p) => p.type === 'Prop' && keys.test(p.key ?? ''));
}

/** `{ timeout: false }`, `{ timeout: 0 }` (axios and got read 0 as "never"): the option switches the bound off. */
function disablesTimeout(model: CodeModel, n: ir.Node | undefined): boolean {
  const v = optionNode(n && resolveObject(model, n), 'timeout');
  const u = v && ir.unwrap(v);
  return !!u && (u.type === 'Lit' || (u.type === 'Num' && u.value === 0));
}

/** `http.get(url, cb).setTimeout(5000)` or `req.setTimeout(...)` on the request it returns. */
function calledSetTimeout(c: ir.Call): boolean {
  return ir.methodsChainedAfter(c).includes('setTimeout');
}
