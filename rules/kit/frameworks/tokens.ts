// Is a value an authentication credential (access, refresh, id or session token, a JWT)? Answered
// from names (variables, properties, parameters, URL parameters, storage keys) and from origins
// (jwt.sign, jose SignJWT().sign(), PyJWT encode, createAccessToken(...), req.session.id, a
// session created by createSession), followed through local variables.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { excerpt } from './redact';

/**
 * 'auth' for names of authentication credentials, 'other' for tokens that are not (password-reset,
 * email-verification, invitation, CSRF, pagination, push-notification tokens), undefined otherwise.
 */
export type TokenKind = 'auth' | 'other' | undefined;

/** Words that make a "token" something other than a login credential, or not a token value at all. */
const NOT_AUTH = new Set([
  'csrf', 'xsrf', 'reset', 'password', 'verify', 'verification', 'verified', 'confirm', 'confirmation', 'invite', 'invitation',
  'magic', 'page', 'next', 'continuation', 'cursor', 'pagination', 'upload', 'push', 'fcm', 'apns', 'device', 'notification',
  'captcha', 'recaptcha', 'hcaptcha', 'turnstile', 'unsubscribe', 'activation', 'activate', 'email', 'share', 'download', 'preview',
  'sync', 'cancel', 'cancellation', 'idempotency', 'type', 'expires', 'expiry', 'expiration', 'exp', 'count', 'length', 'url', 'uri',
  'endpoint', 'name', 'kind', 'hint', 'header', 'key', 'storage', 'prefix', 'field', 'param', 'secret', 'ttl', 'lifetime', 'format',
  'version', 'path', 'cookie', 'state', 'nonce', 'limit', 'usage', 'budget', 'counts', 'tokens', 'max', 'min', 'input', 'output', 'prompt',
  'completion', 'total', 'used', 'remaining', 'estimate', 'cost',
]);
const AUTH_WORDS = new Set(['token', 'jwt', 'bearer']);

/** `accessToken` → access, token; `ID_TOKEN` → id, token; `jwtToken` → jwt, token. */
export function nameWords(name: string): string[] {
  return name
    .replace(/^\$+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function tokenNameKind(name: string | undefined): TokenKind {
  if (!name) return undefined;
  const words = nameWords(name);
  if (!words.some((w) => AUTH_WORDS.has(w))) return undefined;
  return words.some((w) => NOT_AUTH.has(w)) ? 'other' : 'auth';
}

/** Verbs whose result is not the token itself (`verifyToken(t)` returns the payload). */
const NOT_PRODUCERS = /^(verify|validate|decode|check|is|has|revoke|store|save|set|clear|remove|delete|hash|compare|send|log|invalidate|parse|read|write|persist|blacklist|blocklist)/i;
/** Calls that hand back their argument's token unchanged for our purposes. */
const TRANSPARENT = new Set(['encodeURIComponent', 'encodeURI', 'escape', 'String', 'str', 'quote', 'quote_plus', 'toString', 'trim', 'strip', 'decode']);

export interface TokenValue {
  /** What the value is, for messages: `jwt.sign(...)`, `accessToken`, `req.session.id`. */
  what: string;
}

/**
 * Whether a value is an authentication credential: 'other' when its name marks it as a non-auth
 * token (reset, CSRF, pagination), a TokenValue when it is one, undefined when nothing says so.
 */
export function tokenValue(model: CodeModel, n: ir.Node, depth = 0): TokenValue | 'other' | undefined {
  if (depth > 6) return undefined;
  const d = depth + 1;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Ident': {
      const kind = tokenNameKind(u.name);
      if (kind === 'other') return 'other';
      if (kind === 'auth') return { what: u.name };
      const b = model.resolve(u);
      if (!b || b.kind !== 'var') return undefined;
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : b.value)) : [b.value];
      for (const v of values) {
        if (!v || v === u) continue;
        const t = tokenValue(model, v, d);
        if (t) return t;
      }
      return undefined;
    }
    case 'Member': {
      const owner = ownerName(u.object);
      if (tokenNameKind(owner) === 'other') return 'other';
      const kind = tokenNameKind(u.prop);
      if (kind === 'other') return 'other';
      if (kind === 'auth') return { what: excerpt(model, u) };
      if (isSessionId(model, u, d)) return { what: excerpt(model, u) };
      return undefined;
    }
    case 'Call': {
      const name = ir.calleeName(u) ?? '';
      if (TRANSPARENT.has(name)) {
        const inner = u.callee.type === 'Member' && (name === 'toString' || name === 'trim' || name === 'strip' || name === 'decode') ? u.callee.object : ir.positional(u)[0];
        return inner ? tokenValue(model, inner, d) : undefined;
      }
      if (isJwtSign(model, u)) return { what: `${ir.dottedName(u.callee) ?? name}(...)` };
      const kind = tokenNameKind(name);
      if (kind === 'other') return 'other';
      if (kind === 'auth' && !NOT_PRODUCERS.test(name)) return { what: `${ir.dottedName(u.callee) ?? name}(...)` };
      return undefined;
    }
    case 'Cond': return tokenValue(model, u.then, d) ?? tokenValue(model, u.else, d);
    case 'Binary': return u.op === '??' || u.op === '||' ? tokenValue(model, u.left, d) ?? tokenValue(model, u.right, d) : undefined;
    default: return undefined;
  }
}

/** `jwt.sign(...)`, `jsonwebtoken.sign`, jose `new SignJWT(...)....sign(key)`, PyJWT / python-jose `jwt.encode(...)`. */
export function isJwtSign(model: CodeModel, c: ir.Call): boolean {
  const callee = c.callee;
  if (callee.type !== 'Member') {
    if (callee.type === 'Ident' && (callee.name === 'sign' || callee.name === 'encode')) return /jsonwebtoken|jose|^jwt$/.test(model.moduleOf(callee.name)?.module ?? '');
    return false;
  }
  if (callee.prop !== 'sign' && callee.prop !== 'encode') return false;
  const obj = ir.unwrap(callee.object);
  if (obj.type === 'Ident') {
    const mod = model.moduleOf(obj.name)?.module ?? '';
    return /^(jwt|jsonwebtoken|jose)$/i.test(obj.name) || /jsonwebtoken|jose|^jwt$|^jwt\./.test(mod);
  }
  if (obj.type === 'Member') return obj.prop === 'jwt';
  // jose: new SignJWT(payload).setProtectedHeader(...).setExpirationTime('2h').sign(secret)
  let cur: ir.Node = obj;
  while (cur.type === 'Call' || cur.type === 'Member' || cur.type === 'Await') {
    if (cur.type === 'Call' && cur.isNew && ir.calleeName(cur) === 'SignJWT') return true;
    cur = cur.type === 'Call' ? cur.callee : cur.type === 'Member' ? cur.object : cur.arg;
  }
  return false;
}

/** `req.session.id`, `req.sessionID`, Django `request.session.session_key`, `session.id` of `createSession(...)`. */
function isSessionId(model: CodeModel, m: ir.Member, depth: number): boolean {
  if (m.prop === 'sessionID') return true;
  if (!/^(id|sid|session_key|sessionId)$/.test(m.prop)) return false;
  const obj = ir.unwrap(m.object);
  if (obj.type === 'Member' && obj.prop === 'session') return true;
  if (obj.type !== 'Ident' || depth > 6) return false;
  const b = model.resolve(obj);
  const v = b?.kind === 'var' ? b.value && ir.unwrap(b.value) : undefined;
  if (!v) return false;
  if (v.type === 'Member' && v.prop === 'session') return true;
  return v.type === 'Call' && /^(createSession|create_session|validateSession)$/.test(ir.calleeName(v) ?? '');
}

/** The name of the object a property is read from: `invite` in `invite.token`, `reset` in `req.reset.token`. */
function ownerName(n: ir.Node): string | undefined {
  const u = ir.unwrap(n);
  if (u.type === 'Ident') return u.name;
  if (u.type === 'Member') return u.prop;
  return undefined;
}


