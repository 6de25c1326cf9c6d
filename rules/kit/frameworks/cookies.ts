// Cookies a server sets, across frameworks: Express `res.cookie`, Koa `ctx.cookies.set`, Fastify
// `reply.setCookie`, Next.js `cookies().set` / `response.cookies.set`, and `response.set_cookie` in
// Flask, Django and Starlette (FastAPI). For each: the name, the value, and whether the
// HttpOnly, Secure and SameSite attributes end up set, counting each framework's defaults.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { constantString, resolveValue } from '../model/values';

export type CookieFramework = 'express' | 'koa' | 'fastify' | 'next' | 'flask-django' | 'starlette' | 'express-session' | 'cookie-session';
export type CookieFlag = 'httpOnly' | 'secure' | 'sameSite';
/** `set`: on (by the call or the framework's default); `missing`: not given and off by default; `off`: turned off explicitly. */
export type FlagState = 'set' | 'missing' | 'off';

export interface CookieSet {
  call: ir.Call;
  framework: CookieFramework;
  name?: ir.Node;
  value?: ir.Node;
  /** The options object (JS; the object argument itself for Next's `set({ name, value, ... })`), when written out in this file. */
  options?: ir.ObjectLit;
  flags: Record<CookieFlag, FlagState>;
  /** The option or keyword that turned a flag off, to rewrite it. */
  offNodes: Partial<Record<CookieFlag, ir.Prop | ir.Keyword>>;
  /** express-session: the middleware's options, where a missing `cookie: {...}` goes. */
  sessionOptions?: ir.ObjectLit;
}

export const COOKIE_FLAGS: CookieFlag[] = ['httpOnly', 'secure', 'sameSite'];
const PY_KEYWORD: Record<CookieFlag, string> = { httpOnly: 'httponly', secure: 'secure', sameSite: 'samesite' };

/** A call that sets a cookie on a server response, with what its attributes come to; undefined when its options cannot be read. */
export function cookieSet(model: CodeModel, c: ir.Call): CookieSet | undefined {
  const callee = c.callee;
  if (callee.type !== 'Member') return undefined;
  if (model.lang === 'py') return callee.prop === 'set_cookie' || callee.prop === 'set_signed_cookie' ? pyCookie(model, c) : undefined;
  return jsCookieCall(model, c, callee);
}

/**
 * The session middleware's own cookie: express-session `session({ cookie: {...} })` (HttpOnly by
 * default) and cookie-session `cookieSession({ ... })` (flags beside its other options).
 */
export function sessionCookie(model: CodeModel, c: ir.Call): CookieSet | undefined {
  if (c.callee.type !== 'Ident') return undefined;
  const mod = model.moduleOf(c.callee.name)?.module;
  if (mod !== 'express-session' && mod !== 'cookie-session') return undefined;
  const options = ir.positional(c)[0] && resolveValue(model, ir.positional(c)[0]);
  if (!options || ir.unwrap(options).type !== 'ObjectLit') return undefined;
  const o = ir.unwrap(options) as ir.ObjectLit;
  if (o.props.some((p) => p.type === 'Spread' || p.key === undefined)) return undefined;
  if (mod === 'cookie-session') return { call: c, framework: 'cookie-session', options: o, ...jsFlags(model, o, 'cookie-session') };
  const cookieProp = ir.propOf(o, 'cookie');
  const cookieValue = cookieProp && resolveValue(model, cookieProp.value);
  if (cookieProp && (!cookieValue || ir.unwrap(cookieValue).type !== 'ObjectLit')) return undefined;
  const cookie = cookieValue && (ir.unwrap(cookieValue) as ir.ObjectLit);
  if (cookie?.props.some((p) => p.type === 'Spread' || p.key === undefined)) return undefined;
  return { call: c, framework: 'express-session', options: cookie, sessionOptions: o, ...jsFlags(model, cookie, 'express-session') };
}

function jsCookieCall(model: CodeModel, c: ir.Call, callee: ir.Member): CookieSet | undefined {
  const framework = jsFramework(model, c, callee);
  if (!framework) return undefined;
  const pos = ir.positional(c);
  // Next.js also takes one object: cookies().set({ name, value, httpOnly, ... }).
  if (framework === 'next' && pos.length === 1 && ir.unwrap(pos[0]).type === 'ObjectLit') {
    const o = ir.unwrap(pos[0]) as ir.ObjectLit;
    if (o.props.some((p) => p.type === 'Spread')) return undefined;
    return { call: c, framework, name: ir.propOf(o, 'name')?.value, value: ir.propOf(o, 'value')?.value, options: o, ...jsFlags(model, o, framework) };
  }
  if (pos.length < 2) return undefined;
  const optsArg = pos[2];
  let options: ir.ObjectLit | undefined;
  if (optsArg) {
    const v = resolveValue(model, optsArg);
    if (!v || ir.unwrap(v).type !== 'ObjectLit') return undefined;
    options = ir.unwrap(v) as ir.ObjectLit;
    if (options.props.some((p) => p.type === 'Spread' || p.key === undefined)) return undefined;
  }
  return { call: c, framework, name: pos[0], value: pos[1], options, ...jsFlags(model, options, framework) };
}

function jsFramework(model: CodeModel, c: ir.Call, callee: ir.Member): CookieFramework | undefined {
  const recv = ir.unwrap(callee.object);
  if (callee.prop === 'cookie') return /^(res|response|resp|reply)$/.test(rootName(recv) ?? '') ? 'express' : undefined;
  if (callee.prop === 'setCookie') return /^(reply|res|response)$/.test(rootName(recv) ?? '') ? 'fastify' : undefined;
  if (callee.prop !== 'set') return undefined;
  if (recv.type === 'Member' && recv.prop === 'cookies') {
    if (model.usesModule((m) => m === 'koa' || m.startsWith('@koa/') || m === 'koa-router') && ir.unwrap(recv.object).type === 'Ident') return 'koa';
    return model.usesModule((m) => m.startsWith('next')) ? 'next' : undefined;
  }
  // cookies().set(...), (await cookies()).set(...), const store = await cookies(); store.set(...)
  const store = recv.type === 'Ident' ? resolveValue(model, recv) : recv;
  const call = store && ir.unwrap(store.type === 'Await' ? store.arg : store);
  if (call?.type === 'Call' && call.callee.type === 'Ident' && call.callee.name === 'cookies' && model.moduleOf('cookies')?.module === 'next/headers') return 'next';
  return undefined;
}

function rootName(n: ir.Node): string | undefined {
  let cur = ir.unwrap(n);
  while (cur.type === 'Member' || cur.type === 'Call') cur = ir.unwrap(cur.type === 'Member' ? cur.object : cur.callee);
  return cur.type === 'Ident' ? cur.name : undefined;
}

/**
 * Koa's cookies are HttpOnly by default and Secure over HTTPS; @fastify/cookie defaults SameSite to
 * lax; express-session and cookie-session to HttpOnly; Express and Next.js set none of the three.
 */
function jsFlags(model: CodeModel, o: ir.ObjectLit | undefined, framework: CookieFramework): Pick<CookieSet, 'flags' | 'offNodes'> {
  const flags = {} as Record<CookieFlag, FlagState>;
  const offNodes: CookieSet['offNodes'] = {};
  for (const f of COOKIE_FLAGS) {
    const p = o && (ir.propOf(o, f) ?? (f === 'httpOnly' ? ir.propOf(o, 'httponly') : undefined));
    if (!p) {
      flags[f] = byDefault(framework, f) ? 'set' : 'missing';
      continue;
    }
    flags[f] = isOff(model, p.value) ? 'off' : 'set';
    if (flags[f] === 'off') offNodes[f] = p;
  }
  return { flags, offNodes };
}

function byDefault(framework: CookieFramework, f: CookieFlag): boolean {
  if (framework === 'koa') return f !== 'sameSite';
  if (framework === 'fastify') return f === 'sameSite';
  if (framework === 'express-session' || framework === 'cookie-session') return f === 'httpOnly';
  return false;
}

/** Flask and Django set none of the three by default; Starlette defaults SameSite to lax. */
function pyCookie(model: CodeModel, c: ir.Call): CookieSet | undefined {
  if (c.args.some((a) => a.type === 'Spread')) return undefined;
  const pos = ir.positional(c);
  const starlette = model.usesModule((m) => m === 'fastapi' || m.startsWith('fastapi.') || m.startsWith('starlette'));
  const framework: CookieFramework = starlette ? 'starlette' : 'flask-django';
  const flags = {} as Record<CookieFlag, FlagState>;
  const offNodes: CookieSet['offNodes'] = {};
  for (const f of COOKIE_FLAGS) {
    const v = ir.keywordArg(c, PY_KEYWORD[f]);
    if (!v) {
      flags[f] = starlette && f === 'sameSite' ? 'set' : 'missing';
      continue;
    }
    flags[f] = isOff(model, v) ? 'off' : 'set';
    if (flags[f] === 'off' && v.parent?.type === 'Keyword') offNodes[f] = v.parent;
  }
  return { call: c, framework, name: pos[0] ?? ir.keywordArg(c, 'key'), value: pos[1] ?? ir.keywordArg(c, 'value'), flags, offNodes };
}

/** `false`, `False`, `None`, `null`: the attribute is off. A condition (`NODE_ENV === 'production'`) counts as set. */
function isOff(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Lit') return u.value === 'false' || u.value === 'null' || u.value === 'undefined';
  const s = constantString(model, u);
  return s !== undefined && /^(none|false)$/i.test(s) && u.type !== 'Str';
}

/** The flags a cookie lacks, in the fixed order httpOnly, secure, sameSite. */
export function missingFlags(cs: CookieSet): CookieFlag[] {
  return COOKIE_FLAGS.filter((f) => cs.flags[f] !== 'set');
}

const SESSION_SETTING = /^SESSION_COOKIE_(SECURE|HTTPONLY|SAMESITE)$/;
/** Settings modules meant for local development or tests, where a plain-HTTP session cookie is the point. */
const DEV_SETTINGS = /(^|[/\\])(dev|develop|development|local|test|tests|testing|ci)(_settings|settings)?\.py$|settings[/\\](dev|develop|development|local|test|testing|ci)\w*\.py$/i;

export interface SessionSetting {
  flag: CookieFlag;
  /** The value that switches the flag off (`False`, `None`), to rewrite it. */
  value: ir.Node;
}

/**
 * A Django or Flask setting that switches a session-cookie flag off: `SESSION_COOKIE_SECURE = False`
 * in a settings module, `app.config["SESSION_COOKIE_HTTPONLY"] = False`, `app.config.update(SESSION_COOKIE_SAMESITE=None)`.
 * Development and test settings modules are left alone.
 */
export function sessionSettingsOff(model: CodeModel, n: ir.Assign | ir.Call): SessionSetting[] {
  if (model.lang !== 'py' || DEV_SETTINGS.test(model.file)) return [];
  const pairs: [string, ir.Node][] = [];
  if (n.type === 'Assign') {
    if (!n.value || n.op !== '=') return [];
    const t = n.target;
    if (t.type === 'Ident' && n.parent?.type === 'Program') pairs.push([t.name, n.value]);
    // app.config["SESSION_COOKIE_SECURE"]: a constant subscript is a Member in the model.
    if (t.type === 'Member' && /(^|\.)config$/.test(ir.dottedName(t.object) ?? '')) pairs.push([t.prop, n.value]);
  } else if (n.callee.type === 'Member' && n.callee.prop === 'update' && /(^|\.)config$/.test(ir.dottedName(n.callee.object) ?? '')) {
    for (const a of n.args) if (a.type === 'Keyword') pairs.push([a.name, a.value]);
  }
  const out: SessionSetting[] = [];
  for (const [name, value] of pairs) {
    const m = SESSION_SETTING.exec(name);
    if (!m || !isOff(model, value)) continue;
    out.push({ flag: m[1] === 'SECURE' ? 'secure' : m[1] === 'HTTPONLY' ? 'httpOnly' : 'sameSite', value });
  }
  return out;
}
