import * as ir from '../kit/model/ir';
import { defineRule, format, type RuleContext } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { constantString, isConstant } from '../kit/model/values';
import { cookieSet, missingFlags, sessionCookie, sessionSettingsOff, type CookieSet } from '../kit/frameworks/cookies';
import { nameWords, tokenNameKind, tokenValue } from '../kit/frameworks/tokens';
import { findLocationRead, storageWrite } from '../kit/frameworks/browser-url';
import { routeOf, type Route } from '../kit/frameworks/routes';
import { excerpt } from '../kit/frameworks/redact';
import { quoteOf } from '../kit/fixes/style';
import { pyString } from '../kit/model/literals';
import { hardenCookieEdits } from '../kit/fixes/cookie-flags';

const messages = {
  cookie: 'cookie {name} holds {what} but is set without {flags}: {risk}',
  storage: '{what} is written to {storage}, where any script on the page (one XSS) can read it: keep session tokens in an httpOnly cookie',
  body: 'login handler {route} returns {what} in the JSON body, where the page\'s scripts read and store it: set it as an httpOnly cookie instead',
  setting: '{setting} switches the session cookie\'s {flag} off: {risk}',
};
const RISK: Record<string, string> = {
  httpOnly: 'page scripts can read the session id (one XSS steals the session)',
  secure: 'the session id is sent over plain HTTP',
  sameSite: 'other sites\' requests carry the session id',
};

/** Cookie-name words that mean a login session (besides the token words of tokens.ts). */
const SESSION_WORDS = new Set(['session', 'sess', 'sid', 'sessionid', 'auth', 'jwt', 'login', 'remember', 'identity', 'bearer']);
/** Routes that sign a user in. */
const LOGIN_PATH = /(^|\/)(log-?in|sign-?in|signin|login|sign_in|log_in|authenticate|auth|sessions?)(\/|$)/i;
/** Routes that hand tokens to machine clients, named so: API tokens, OAuth token endpoints, personal access tokens. */
const MACHINE_PATH = /token|api-?key|oauth|personal|client|machine|service/i;
const RESPONDERS = /^(json|send|jsonify|JSONResponse|JsonResponse|ORJSONResponse|UJSONResponse)$/;

export default defineRule({
  id: 'insecure-token-storage',
  category: 'security',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 1004,
  securitySeverity: 5.4,
  triggers: /cookie|localStorage|sessionStorage|token|jwt|session|login|signin|auth/i,
  docs: {
    summary: 'A session or auth cookie (including express-session\'s and cookie-session\'s) set without httpOnly, secure or sameSite; an auth token written to localStorage/sessionStorage; a login handler returning the session token in its JSON body',
    why: 'A token any script on the page can read is stolen by any XSS on the page: one injected script (a compromised npm package, an unescaped comment) reads `localStorage.token` or `document.cookie` and sends it away, and the attacker is logged in as the user from anywhere until the token expires. An `HttpOnly` cookie is out of reach of scripts, `Secure` keeps it off plain HTTP, and `SameSite=Lax` keeps other sites from sending it along with forged requests. Non-auth cookies (theme, locale, consent) are not reported; nor are endpoints that hand API tokens to machine clients and are named so. `secure: process.env.NODE_ENV === \'production\'` counts as set. So do each framework\'s defaults: Koa\'s HttpOnly (and Secure over HTTPS), SameSite=Lax of @fastify/cookie and Starlette.',
    fix: 'Harden cookie: the missing attributes are added (`httpOnly: true, secure: true, sameSite: \'lax\'` in Express `res.cookie`, Fastify `reply.setCookie`, Koa `ctx.cookies.set`, Next.js `cookies().set`, and the session cookie of express-session (`cookie: {...}`) and cookie-session; Django and Flask settings that switch a session-cookie flag off (`SESSION_COOKIE_SECURE = False`, `app.config[\"SESSION_COOKIE_HTTPONLY\"] = False`, `SESSION_COOKIE_SAMESITE = None`) are turned on (development and test settings modules are left alone); `httponly=True, secure=True, samesite="Lax"` in Flask, Django and Starlette `set_cookie`), and attributes turned off explicitly are turned on. Unsafe: a page script that read the cookie can no longer, and a secure cookie is not sent over plain HTTP (local development without TLS), and express-session behind a TLS-terminating proxy sets a secure cookie only with `app.set(\'trust proxy\', 1)`. Tokens in localStorage and tokens returned in a login response get advice (the client code has to change with them), not a mechanical fix.',
    examples: {
      js: {
        bad: "app.post('/login', async (req, res) => {\n  const user = await authenticate(req.body.email, req.body.password);\n  res.cookie('session', await createSession(user.id));\n  res.redirect('/');\n});\n",
        good: "app.post('/login', async (req, res) => {\n  const user = await authenticate(req.body.email, req.body.password);\n  res.cookie('session', await createSession(user.id), { httpOnly: true, secure: true, sameSite: 'lax' });\n  res.cookie('theme', req.body.theme);\n  res.redirect('/');\n});\n",
      },
      py: {
        bad: "from flask import Flask, make_response, redirect\n\napp = Flask(__name__)\n\n\n@app.post(\"/login\")\ndef login():\n    response = make_response(redirect(\"/\"))\n    response.set_cookie(\"session_token\", create_session(current_user()))\n    return response\n",
        good: "from flask import Flask, make_response, redirect\n\napp = Flask(__name__)\n\n\n@app.post(\"/login\")\ndef login():\n    response = make_response(redirect(\"/\"))\n    response.set_cookie(\"session_token\", create_session(current_user()), httponly=True, secure=True, samesite=\"Lax\")\n    response.set_cookie(\"locale\", \"en\")\n    return response\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        if (model.lang === 'py') for (const off of sessionSettingsOff(model, call)) reportSetting(model, off, report);
        const cs = cookieSet(model, call) ?? sessionCookie(model, call);
        if (cs) return checkCookie(model, cs, report);
        const w = storageWrite(model, call);
        if (w) return checkStorage(model, w, report);
        const name = ir.calleeName(call) ?? '';
        if (!RESPONDERS.test(name)) return;
        // jsonify(access_token=token): the keywords are the body.
        const keywords = call.args.filter((a): a is ir.Keyword => a.type === 'Keyword');
        if (model.lang === 'py' && name === 'jsonify' && keywords.length) checkBody(model, call, { type: 'ObjectLit', props: keywords.map(keywordProp), start: call.start, end: call.end }, report);
        else checkBody(model, call, ir.positional(call)[0], report);
      },
      Assign(assign) {
        if (model.lang === 'py') for (const off of sessionSettingsOff(model, assign)) reportSetting(model, off, report);
        if (model.lang !== 'js' || !assign.value) return;
        const w = storageWrite(model, assign);
        if (w && w.storage !== 'document.cookie') return checkStorage(model, w, report);
        // Koa: ctx.body = { token }
        if (assign.target.type === 'Member' && assign.target.prop === 'body' && ir.unwrap(assign.target.object).type === 'Ident') checkBody(model, assign, assign.value, report);
      },
      Return(ret) {
        if (ret.arg) checkBody(model, ret, ret.arg, report);
      },
    };
  },
  fix: {
    title: 'Harden cookie',
    safety: 'unsafe',
    produce(finding, ctx) {
      const setting = finding.data?.setting as [number, number, string] | undefined;
      if (setting) return { edits: [{ start: setting[0], end: setting[1], newText: setting[2] }] };
      const [s, e] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === s && c.end === e);
      const cs = call && (cookieSet(ctx.model, call) ?? sessionCookie(ctx.model, call));
      const edits = cs && hardenCookieEdits(ctx.model, cs, quoteOf(ctx.model));
      return edits?.length ? { edits } : undefined;
    },
  },
});

type Reporter = RuleContext['report'];

/** What makes a cookie a login credential: its name, or the token it carries. */
function authCookie(model: CodeModel, cs: CookieSet): string | undefined {
  if (cs.framework === 'express-session' || cs.framework === 'cookie-session') return 'the session id';
  const name = cs.name && constantString(model, cs.name);
  if (name !== undefined) {
    const kind = tokenNameKind(name);
    if (kind === 'other') return undefined;
    if (kind === 'auth' || nameWords(name).some((w) => SESSION_WORDS.has(w))) return 'a login credential';
  }
  const v = cs.value && tokenValue(model, cs.value);
  return v && v !== 'other' ? v.what : undefined;
}

function checkCookie(model: CodeModel, cs: CookieSet, report: Reporter): void {
  const missing = missingFlags(cs);
  if (!missing.length) return;
  // A constant value (`''` with an expiry in the past) clears the cookie on logout: no credential.
  if (cs.value && isConstant(model, cs.value)) return;
  const what = authCookie(model, cs);
  if (!what) return;
  const risks: string[] = [];
  if (missing.includes('httpOnly')) risks.push('page scripts can read it (one XSS steals the session)');
  if (missing.includes('secure')) risks.push('it is sent over plain HTTP');
  if (missing.includes('sameSite')) risks.push('other sites\' requests carry it');
  const constName = cs.name && constantString(model, cs.name);
  const name = constName !== undefined ? `'${constName}'` : cs.name ? excerpt(model, cs.name) : `of ${cs.framework}`;
  const fixable = hardenCookieEdits(model, cs, quoteOf(model));
  report({
    node: cs.call,
    message: format(messages.cookie, { name, what, flags: missing.join(', '), risk: risks.join('; ') }),
    data: { call: [cs.call.start, cs.call.end] },
    noFix: fixable?.length ? false : 'the cookie call has no argument the attributes could follow',
  });
}

function reportSetting(model: CodeModel, off: { flag: string; value: ir.Node }, report: Reporter): void {
  const name = off.value.parent?.type === 'Keyword' ? off.value.parent.name : excerpt(model, off.value.parent?.type === 'Assign' ? off.value.parent.target : off.value);
  const on = off.flag === 'sameSite' ? pyString('Lax', { quote: quoteOf(model), prefix: '', triple: false }) : 'True';
  report({
    node: off.value.parent ?? off.value,
    message: format(messages.setting, { setting: name, flag: off.flag, risk: RISK[off.flag] }),
    data: { setting: [off.value.start, off.value.end, on] },
  });
}

function checkStorage(model: CodeModel, w: { key?: ir.Node; value: ir.Node; storage: string }, report: Reporter): void {
  if (!/^(localStorage|sessionStorage)$/.test(w.storage) && !w.storage.includes('JavaScript-readable')) return;
  // A token read back from the URL into storage is token-in-url's finding.
  if (findLocationRead(model, w.value)) return;
  const key = w.key ? constantString(model, w.key) : undefined;
  const byKey = tokenNameKind(key);
  const byValue = tokenValue(model, w.value);
  if (byKey === 'other' || byValue === 'other') return;
  if (!byKey && !byValue) return;
  report({
    node: w.value.parent?.type === 'Call' ? w.value.parent : w.value,
    message: format(messages.storage, { what: byValue ? byValue.what : `the ${key} token`, storage: w.storage }),
    noFix: 'the server has to set the token as an httpOnly cookie and the client code stop reading it, which no local edit can do',
  });
}

/** The login route a node belongs to, when it is one that hands its token to a browser. */
function loginRoute(model: CodeModel, n: ir.Node): Route | undefined {
  const fn = ir.enclosingFunction(n);
  const route = fn && routeOf(model, fn);
  if (!route || !route.path || route.method === 'GET') return undefined;
  if (!LOGIN_PATH.test(route.path) || MACHINE_PATH.test(route.path)) return undefined;
  return route;
}

function checkBody(model: CodeModel, at: ir.Node, body: ir.Node | undefined, report: Reporter): void {
  // Cheap shape test first: only an object written out here can be judged, and most returns are not one.
  const o = body && ir.unwrap(body);
  if (o?.type !== 'ObjectLit') return;
  const route = loginRoute(model, at);
  if (!route) return;
  for (const p of o.props) {
    const token = tokenProp(model, p, 0);
    if (!token) continue;
    report({
      node: token.node,
      message: format(messages.body, { route: `${route.method} ${route.path}`, what: token.what }),
      noFix: 'the client reads the token from the response: set it with an httpOnly, secure, sameSite cookie and drop it from the body once the client relies on the cookie',
    });
    return;
  }
}

function keywordProp(k: ir.Keyword): ir.Prop {
  return { type: 'Prop', key: k.name, keyNode: k, value: k.value, shorthand: false, start: k.start, end: k.end };
}

/** A property of the response carrying an auth token (also one level down: `{ user: { ..., token } }`). */
function tokenProp(model: CodeModel, p: ir.Prop | ir.Spread, depth: number): { node: ir.Node; what: string } | undefined {
  if (p.type !== 'Prop') return undefined;
  const v = ir.unwrap(p.value);
  if (v.type === 'ObjectLit') return depth < 1 ? v.props.map((q) => tokenProp(model, q, depth + 1)).find(Boolean) : undefined;
  const byKey = tokenNameKind(p.key);
  if (byKey === 'other') return undefined;
  const byValue = tokenValue(model, p.value);
  if (byValue === 'other') return undefined;
  if (byValue) return { node: p, what: byValue.what };
  return byKey === 'auth' ? { node: p, what: p.key! } : undefined;
}
