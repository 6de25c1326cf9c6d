import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { routeOf } from '../kit/frameworks/routes';
import { functionName } from '../kit/frameworks/per-request';
import { excerpt } from '../kit/frameworks/redact';
import { planRegenerate } from './session-fixation.fix';

const messages = {
  fixation: '{write} signs the user into the existing session in {where} without regenerating it: a session id planted before login (session fixation) now belongs to the logged-in user',
};

/** Session keys that say who is logged in (not a cart, theme or `returnTo`). */
const IDENTITY_KEY = /^(user|users?_?id|userId|uid|account|account_?id|accountId|auth|authenticated|is_?authenticated|isAuthenticated|logged_?in|loggedIn|isLoggedIn|is_?logged_?in|member_?id|memberId|customer_?id|customerId|admin|admin_?id|adminId|is_?admin|isAdmin|role|principal|identity|current_?user|currentUser|passport|login|username|email|userEmail|user_?email)$/i;
/** What a login step is called: sign-in, OAuth/SSO callbacks, 2FA/OTP verification, registration that signs in. */
const LOGIN_WORDS = /log-?in|sign-?in|signin|sign_?in|login|authenticate|auth|session|callback|oauth|sso|saml|2fa|two-?factor|mfa|otp|totp|verify|magic|register|sign-?up|signup|impersonate/i;
/** Password and credential checks: a function that runs one and then sets the user is a login. */
const CREDENTIAL_CHECK = /^(compare|compareSync|verify|checkpw|comparePassword|verifyPassword|checkPassword|validPassword|validatePassword|isValidPassword|authenticate|verifyCredentials|checkCredentials|verifyTotp|verifyOtp)$/;

export default defineRule({
  id: 'session-fixation',
  category: 'security',
  severity: 'warning',
  languages: ['js'],
  scope: 'file',
  cwe: 384,
  securitySeverity: 5.9,
  triggers: /session/,
  docs: {
    summary: 'A login handler writes the user into `req.session` without `req.session.regenerate`',
    why: 'A session id that exists before login must not survive it: an attacker who planted a session id in the victim\'s browser (a link on a shared domain, a cookie set by a sibling subdomain, a kiosk) waits for the victim to log in, and the attacker\'s copy of that same id is now signed in as the victim. Regenerating the session on login (what passport\'s `req.login()` does since 0.6) issues a fresh id, so the planted one is worth nothing. Session writes outside login (cart, theme, `returnTo`) are not reported; a 2FA step or an OAuth callback that sets the user is a login.',
    fix: 'Regenerate session on login: in an async handler `await new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));` goes right before the first write of the user; in a callback-style handler the writes and everything after them move into `req.session.regenerate((err) => { ... })`, passing an error to `next` (or answering 500). Fastify\'s `@fastify/session` gets `await request.session.regenerate()`. Unsafe: the new session starts empty, so data the code kept in the session before login (a `returnTo` URL, a guest cart) has to be read before the regenerate and written again after it.',
    examples: {
      js: {
        bad: "app.post('/login', async (req, res) => {\n  const user = await users.findByEmail(req.body.email);\n  if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) return res.status(401).end();\n  req.session.userId = user.id;\n  res.redirect('/');\n});\n",
        good: "app.post('/login', async (req, res) => {\n  const user = await users.findByEmail(req.body.email);\n  if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) return res.status(401).end();\n  await new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));\n  req.session.userId = user.id;\n  res.redirect('/');\n});\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const reported = new Set<ir.Func>();
    return {
      Assign(assign) {
        const write = identityWrite(model, assign);
        if (!write) return;
        const fn = ir.enclosingFunction(assign);
        if (!fn || reported.has(fn) || !isLogin(model, fn) || regenerates(model, fn)) return;
        reported.add(fn);
        const plan = planRegenerate(model, assign, write.session);
        report({
          node: assign,
          message: format(messages.fixation, { write: excerpt(model, assign.target), where: where(model, fn) }),
          data: { write: [assign.start, assign.end] },
          noFix: 'reason' in plan ? plan.reason : false,
        });
      },
    };
  },
  fix: {
    title: 'Regenerate session on login',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [s, e] = (finding.data?.write as number[] | undefined) ?? [];
      const assign = ctx.model.nodesOfType('Assign').find((a) => a.start === s && a.end === e);
      const write = assign && identityWrite(ctx.model, assign);
      if (!assign || !write) return undefined;
      const plan = planRegenerate(ctx.model, assign, write.session);
      return 'reason' in plan ? undefined : { edits: plan.edits };
    },
  },
});

/** `req.session.userId = user.id`, `req.session.user = { ... }`: the write and its `req.session`. */
function identityWrite(model: CodeModel, a: ir.Assign): { session: ir.Member } | undefined {
  if (a.op !== '=' || !a.value || a.target.type !== 'Member') return undefined;
  const value = ir.unwrap(a.value);
  if (value.type === 'Lit' && value.value !== 'true') return undefined; // null/false: logout
  const key = a.target.prop;
  const session = ir.unwrap(a.target.object);
  if (!IDENTITY_KEY.test(key) || session.type !== 'Member' || session.prop !== 'session') return undefined;
  const req = ir.unwrap(session.object);
  if (req.type !== 'Ident' || !isRequest(model, req)) return undefined;
  return { session };
}

/** The request object of a handler: `req`/`request`, or a parameter of a handler-shaped function. */
function isRequest(model: CodeModel, id: ir.Ident): boolean {
  if (/^(req|request)$/.test(id.name)) return true;
  const b = model.resolve(id);
  return b?.kind === 'param' && b.paramIndex === 0 && /req/i.test(id.name);
}

function where(model: CodeModel, fn: ir.Func): string {
  for (let f: ir.Func | undefined = fn; f; f = ir.enclosingFunction(f)) {
    const r = routeOf(model, f);
    if (r) return `${r.method} ${r.path ?? ''}`.trim();
    const n = functionName(f);
    if (n) return n;
  }
  return 'a handler';
}

/** A login: a route or function named for signing in, or one that checks a password before the write. */
function isLogin(model: CodeModel, fn: ir.Func): boolean {
  for (let f: ir.Func | undefined = fn; f; f = ir.enclosingFunction(f)) {
    const r = routeOf(model, f);
    if (r?.path && LOGIN_WORDS.test(r.path)) return true;
    if (LOGIN_WORDS.test(functionName(f) ?? '')) return true;
    if (callsIn(model, f).some((c) => CREDENTIAL_CHECK.test(ir.calleeName(c) ?? ''))) return true;
  }
  return false;
}

/** `req.session.regenerate(...)`, passport's `req.login(...)`/`req.logIn(...)` (which regenerates), or a regenerate helper, in the handler or around it. */
function regenerates(model: CodeModel, fn: ir.Func): boolean {
  for (let f: ir.Func | undefined = fn; f; f = ir.enclosingFunction(f)) {
    for (const c of callsIn(model, f)) {
      const name = ir.calleeName(c) ?? '';
      if (/^regenerate/i.test(name)) return true;
      if ((name === 'login' || name === 'logIn') && c.callee.type === 'Member' && ir.unwrap(c.callee.object).type === 'Ident') return true;
    }
  }
  return false;
}

/** The calls inside a function (its nested callbacks included), found by position in the node index. */
function callsIn(model: CodeModel, fn: ir.Func): ir.Call[] {
  const cache = model.table<ir.Func, ir.Call[]>('session-fixation:calls');
  let calls = cache.get(fn);
  if (!calls) {
    calls = model.calls.filter((c) => c.start >= fn.start && c.end <= fn.end);
    cache.set(fn, calls);
  }
  return calls;
}
