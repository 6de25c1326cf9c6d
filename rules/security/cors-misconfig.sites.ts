// Where CORS is configured: the options of the CORS middlewares (cors, @koa/cors, @fastify/cors,
// hono/cors, NestJS enableCors, Flask-CORS, Starlette's CORSMiddleware, django-cors-headers
// settings) and hand-written Access-Control-Allow-Origin headers, each read as "which origins are
// allowed, and may they send the user's cookies".
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { constantString, isConstant } from '../kit/model/values';
import { isOperatorValue } from '../kit/frameworks/config-values';
import { taintOf } from '../kit/frameworks/taint';

export type OriginPolicy = 'any' | 'reflect' | 'restricted';

export interface CorsSite {
  kind: 'options' | 'header' | 'django';
  library: 'cors' | 'koa' | 'fastify' | 'hono' | 'nest' | 'flask-cors' | 'starlette' | 'django' | 'header';
  /** The call or assignment that configures it. */
  node: ir.Node;
  /** JS options object, when it is a literal the fix can edit. */
  options?: ir.ObjectLit;
  /** The node that states the origins (the origin prop or keyword), if written. */
  origin?: ir.Node;
  policy: OriginPolicy;
  credentials: boolean;
}

const ALLOW_ORIGIN = /^access-control-allow-origin$/i;

/** The options object literal of a CORS middleware call, followed through one local name. */
function objectOf(model: CodeModel, n: ir.Node | undefined): ir.ObjectLit | undefined {
  if (!n) return undefined;
  const u = ir.unwrap(n);
  if (u.type === 'ObjectLit') return u;
  if (u.type === 'Ident') {
    const v = model.valueOf(u);
    return v && ir.unwrap(v).type === 'ObjectLit' ? (ir.unwrap(v) as ir.ObjectLit) : undefined;
  }
  return undefined;
}

function isTrue(n: ir.Node | undefined): boolean {
  const u = n && ir.unwrap(n);
  return u?.type === 'Lit' && u.value === 'true';
}

function moduleOfCallee(model: CodeModel, n: ir.Node): string | undefined {
  const u = ir.unwrap(n);
  const root = u.type === 'Ident' ? u.name : u.type === 'Member' && u.object.type === 'Ident' ? u.object.name : undefined;
  return root ? model.moduleOf(root)?.module : undefined;
}

export function jsCorsSite(model: CodeModel, c: ir.Call): CorsSite | undefined {
  const mod = moduleOfCallee(model, c.callee);
  let library: CorsSite['library'] | undefined;
  let optsNode: ir.Node | undefined;
  if (mod === 'cors') { library = 'cors'; optsNode = c.args[0]; }
  else if (mod === '@koa/cors' || mod === 'koa-cors' || mod === 'kcors') { library = 'koa'; optsNode = c.args[0]; }
  else if (mod === 'hono/cors') { library = 'hono'; optsNode = c.args[0]; }
  else if (ir.calleeName(c) === 'register' && c.args[0] && /^(@fastify\/cors|fastify-cors)$/.test(moduleOfCallee(model, c.args[0]) ?? '')) { library = 'fastify'; optsNode = c.args[1]; }
  else if (ir.calleeName(c) === 'enableCors') { library = 'nest'; optsNode = c.args[0]; }
  else if (ir.dottedName(c.callee) === 'NestFactory.create') {
    const o = objectOf(model, c.args[1]);
    const p = o && ir.propOf(o, 'cors');
    if (!p || ir.unwrap(p.value).type !== 'ObjectLit') return undefined;
    library = 'nest';
    optsNode = p.value;
  }
  if (!library) return undefined;
  const options = objectOf(model, optsNode);
  if (optsNode && !options) return undefined;
  const originProp = options && ir.propOf(options, 'origin');
  const credentials = !!options && isTrue(ir.propOf(options, 'credentials')?.value);
  // Without an origin option, cors/hono/fastify/nest answer `*`; @koa/cors echoes the request's Origin.
  const policy: OriginPolicy = originProp ? jsOriginPolicy(model, originProp.value) : library === 'koa' ? 'reflect' : 'any';
  return { kind: 'options', library, node: c, options, origin: originProp, policy, credentials };
}

function jsOriginPolicy(model: CodeModel, v: ir.Node): OriginPolicy {
  const u = ir.unwrap(v);
  if (isTrue(u)) return 'reflect';
  if (constantString(model, u) === '*') return 'any';
  if (u.type === 'Func') return reflectsAll(model, u) ? 'reflect' : 'restricted';
  return 'restricted';
}

/** An origin callback that never looks at the origin before allowing it: `(origin, cb) => cb(null, true)`. */
function reflectsAll(model: CodeModel, fn: ir.Func): boolean {
  const name = fn.params[0]?.name;
  const uses = name ? model.identsNamedIn(name, fn.body) : [];
  return !uses.some((id) => isCheckedUse(id, fn));
}

/** The origin is compared, looked up or matched (not merely passed on or tested for presence). */
function isCheckedUse(id: ir.Node, stop: ir.Node): boolean {
  for (let p = id.parent; p && p !== stop; p = p.parent) {
    if (p.type === 'Binary' && /^(===|==|!==|!=|in|not in)$/.test(p.op)) return true;
    if (p.type === 'Call' && /^(includes|has|indexOf|test|match|some|find|startsWith|endsWith|exec|get)$/.test(ir.calleeName(p) ?? '')) return true;
    if (p.type === 'Index') return true;
  }
  return false;
}

export function pyCorsSite(model: CodeModel, c: ir.Call): CorsSite | undefined {
  const callee = ir.unwrap(c.callee);
  const name = callee.type === 'Ident' ? callee.name : callee.type === 'Member' ? callee.prop : '';
  const mod = callee.type === 'Ident' ? model.moduleOf(name)?.module : undefined;
  if ((name === 'CORS' || name === 'cross_origin') && mod === 'flask_cors') {
    const credentials = isTrue(ir.keywordArg(c, 'supports_credentials'));
    const originKw = c.args.find((a): a is ir.Keyword => a.type === 'Keyword' && a.name === 'origins');
    const resources = ir.keywordArg(c, 'resources');
    let policy: OriginPolicy = originKw ? pyOriginPolicy(model, originKw.value) : 'reflect';
    let origin: ir.Node | undefined = originKw;
    if (!originKw && resources && ir.unwrap(resources).type === 'ObjectLit') {
      // resources={r"/api/*": {"origins": ...}}: the most open entry decides.
      policy = 'restricted';
      for (const p of (ir.unwrap(resources) as ir.ObjectLit).props) {
        const inner = p.type === 'Prop' ? ir.unwrap(p.value) : undefined;
        const o = inner?.type === 'ObjectLit' ? ir.propOf(inner, 'origins') : undefined;
        const pol = o ? pyOriginPolicy(model, o.value) : 'reflect';
        if (pol !== 'restricted') { policy = pol; origin = o?.value; }
      }
    }
    // Flask-CORS answers a credentialed request from an allowed `*` with the caller's own origin.
    if (policy === 'any' && credentials) policy = 'reflect';
    return { kind: 'options', library: 'flask-cors', node: c, origin, policy, credentials };
  }
  const isMiddleware = (n: ir.Node | undefined) => {
    const u = n && ir.unwrap(n);
    return u?.type === 'Ident' && u.name === 'CORSMiddleware' && /(starlette|fastapi)\.middleware\.cors/.test(model.moduleOf('CORSMiddleware')?.module ?? '');
  };
  if ((name === 'add_middleware' || name === 'Middleware') && isMiddleware(ir.positional(c)[0])) {
    const credentials = isTrue(ir.keywordArg(c, 'allow_credentials'));
    const origins = c.args.find((a): a is ir.Keyword => a.type === 'Keyword' && a.name === 'allow_origins');
    const regex = c.args.find((a): a is ir.Keyword => a.type === 'Keyword' && a.name === 'allow_origin_regex');
    let policy: OriginPolicy = origins ? pyOriginPolicy(model, origins.value) : 'restricted';
    if (regex && /^\^?\.[*+]\$?$/.test(constantString(model, regex.value) ?? '')) policy = 'reflect';
    // Starlette echoes the request's Origin instead of `*` when the request carries cookies.
    if (policy === 'any' && credentials) policy = 'reflect';
    return { kind: 'options', library: 'starlette', node: c, origin: policy === 'reflect' && regex && !origins ? regex : origins, policy, credentials };
  }
  return undefined;
}

function pyOriginPolicy(model: CodeModel, v: ir.Node): OriginPolicy {
  const u = ir.unwrap(v);
  if (constantString(model, u) === '*') return 'any';
  if (u.type === 'ArrayLit' && u.elements.some((e) => constantString(model, e) === '*')) return 'any';
  if (u.type === 'Str' && /^\^?\.[*+]\$?$/.test(u.value)) return 'reflect';
  return 'restricted';
}

/** django-cors-headers: `CORS_ALLOW_ALL_ORIGINS = True` with `CORS_ALLOW_CREDENTIALS = True` in the same settings file. */
export function djangoSite(model: CodeModel, a: ir.Assign): CorsSite | undefined {
  if (a.target.type !== 'Ident' || !/^(CORS_ALLOW_ALL_ORIGINS|CORS_ORIGIN_ALLOW_ALL)$/.test(a.target.name) || !isTrue(a.value) || a.parent?.parent?.type !== 'Program' && a.parent?.type !== 'Program') return undefined;
  const credentials = model.nodesOfType('Assign').some((b) => b.target.type === 'Ident' && b.target.name === 'CORS_ALLOW_CREDENTIALS' && isTrue(b.value));
  return { kind: 'django', library: 'django', node: a, origin: a.value, policy: 'reflect', credentials };
}

/** `res.setHeader('Access-Control-Allow-Origin', req.headers.origin)` and its relatives, in JS and Python. */
export function headerSite(model: CodeModel, n: ir.Call | ir.Assign | ir.Prop): CorsSite | undefined {
  let value: ir.Node | undefined;
  if (n.type === 'Prop') {
    // `{ 'Access-Control-Allow-Origin': origin }` in a headers object (Fetch Response, Next.js, edge functions).
    if (!n.key || !ALLOW_ORIGIN.test(n.key)) return undefined;
    value = n.value;
  } else if (n.type === 'Call') {
    if (!/^(setHeader|header|set|append|writeHead)$/.test(ir.calleeName(n) ?? '') || n.callee.type !== 'Member') return undefined;
    const name = n.args[0] && constantString(model, n.args[0]);
    if (!name || !ALLOW_ORIGIN.test(name)) return undefined;
    value = n.args[1];
  } else {
    const t = n.target;
    // Python reads `headers["Access-Control-Allow-Origin"]` as a member named by the key.
    const key = t.type === 'Index' ? constantString(model, t.index) : t.type === 'Member' ? t.prop : undefined;
    if (!key || !ALLOW_ORIGIN.test(key) || !n.value) return undefined;
    value = n.value;
  }
  if (!value || isConstant(model, value) || isOperatorValue(model, value) || !reflectsRequest(model, value)) return undefined;
  if (isGuarded(model, n)) return undefined;
  return { kind: 'header', library: 'header', node: n, origin: value, policy: 'reflect', credentials: true };
}

/** The value is the request's own Origin (or Referer/Host) header, not one picked from a list. */
function reflectsRequest(model: CodeModel, v: ir.Node): boolean {
  const u = ir.unwrap(v);
  if (u.type === 'Ident') {
    const bound = model.valueOf(u);
    // `const allowed = list.includes(origin) ? origin : list[0]` picks from a list.
    if (bound && ir.unwrap(bound).type === 'Cond') return false;
  }
  if (u.type === 'Cond') return false;
  return taintOf(model, u) === 'request';
}

/** An enclosing or earlier `if` of the same function that checks the origin against something. */
function isGuarded(model: CodeModel, n: ir.Node): boolean {
  const fn = ir.enclosingFunction(n);
  const scope = fn ?? model.root;
  for (const s of model.nodesOfType('If')) {
    if (s.start < scope.start || s.start >= n.start || (fn && ir.enclosingFunction(s) !== fn)) continue;
    let checked = false;
    ir.walk(s.test, (x) => {
      if (checked) return false;
      if ((x.type === 'Binary' && /^(===|==|!==|!=|in|not in)$/.test(x.op)) || (x.type === 'Call' && /^(includes|has|indexOf|test|match|some|find|startsWith|endsWith|fullmatch)$/.test(ir.calleeName(x) ?? ''))) checked = true;
    });
    if (checked) return true;
  }
  return false;
}
