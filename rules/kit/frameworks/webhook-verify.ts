// Whether a webhook handler proves who sent the event, judged by what its checks prove rather than
// by names: a provider SDK's verification (Stripe `constructEvent`, svix `verify`, Polar
// `validateEvent`, `@octokit/webhooks`), a constant-time HMAC comparison, or a shared secret from
// the request compared with the configured one, whose failure ends the request. A helper named
// `verifySignature` is read (in this module or the one it is imported from), not trusted by name.
// Verification that runs only when a secret is configured is reported as failing open.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { localFunction } from '../model/calls';
import { importedFunction } from '../model/modules';
import { constantString } from '../model/values';
import { isOperatorValue } from './config-values';
import { useCalls, type Route } from './routes';
import { isCredentialName } from './secrets';
import { isRequestRead, taintOf } from './taint';
import type { WebhookHandler } from './webhooks';

/** Provider SDK methods that only exist to check a webhook signature. */
const PROVIDER_VERIFY = /^(constructEvent|constructEventAsync|construct_event|verify_header|verifyHeader|verifyHeaderAsync|verifyAndReceive|validateWebhookSignature|verifyRequestSignature|validateRequest|validateRequestWithBody|verifyWebhookSignature|verify_webhook_signature)$/;
/** Packages that ship webhook verification. */
const WEBHOOK_MODULE = /^(?:svix|standardwebhooks|stripe|@octokit\/webhooks|@octokit\/webhooks-methods|@polar-sh\/sdk(?:\/webhooks)?|@lemonsqueezy\/.*|@paddle\/.*|@shopify\/.*|@clerk\/.*|resend|twilio|@slack\/.*|slack_sdk.*|razorpay|plaid|paypal.*|@paypal\/.*|github_webhook|.*webhooks?)$/i;
const VERIFY_VERB = /^(?:verify[A-Za-z_]*|validate[A-Za-z_]*|unwrap|construct_?[Ee]vent[A-Za-z_]*)$/;
const CONSTANT_TIME = /^(timingSafeEqual|compare_digest|constantTimeCompare|safeCompare|secureCompare|timingSafeEqualStrings)$/;
const HMAC_CALL = /(^|\.)createHmac$|^hmac\.(new|HMAC|digest)$|^HMAC$/;
/** A provider SDK's `webhooks` namespace (`stripe.webhooks.constructEvent`, `octokit.webhooks.verify`). */
const WEBHOOKS_NAMESPACE = /(^|\.)webhooks?\.[A-Za-z_]+$/i;
/** Fetching the event back from the provider's API (`stripe.events.retrieve`, `stripe.Event.retrieve`). */
const EVENT_REFETCH = /(^|\.)events\.retrieve$|(^|\.)Event\.retrieve$/;
/** Names of helpers, middleware and decorators that say they verify a signature (`verifyStripeSignature`, `@require_signature`). */
export const VERIFY_NAME = /^verify|^(validate|check|assert|is_?valid|authenticate|require|ensure|construct)[_A-Za-z0-9]*(sig|hmac|webhook|hook|stripe|github|svix|signed|origin)|signature|hmac/i;

export type VerifyKind = 'sdk' | 'compare' | 'named';

/**
 * What a call proves: `sdk` for a provider SDK check, `compare` for a constant-time comparison,
 * `named` for a verify-named helper whose body cannot be read (another package of the app).
 * Helpers in this module or an imported one are judged by their bodies instead (see verificationOf).
 */
export function isVerifyCall(model: CodeModel, c: ir.Call): VerifyKind | undefined {
  const name = ir.dottedName(c.callee) ?? '';
  const last = ir.calleeName(c) ?? '';
  if (last === 'constructEventWithoutVerification' || last === 'generateTestHeaderString') return undefined;
  if (CONSTANT_TIME.test(last)) return 'compare';
  // Every answer below needs a verify-like name: the rest (`res.json`, `pool.query`) is settled
  // here, before looking for the callee's body in this module or an imported one.
  if (!VERIFY_VERB.test(last) && !VERIFY_NAME.test(last) && !PROVIDER_VERIFY.test(last) && !WEBHOOKS_NAMESPACE.test(name) && !EVENT_REFETCH.test(name)) return undefined;
  if (localFunction(model, c) || importedFunction(model, c)) return undefined;
  if (PROVIDER_VERIFY.test(last)) return 'sdk';
  // Any method of a provider's `webhooks` namespace except subscribing and signing.
  if (WEBHOOKS_NAMESPACE.test(name) && !/\.(on|onAny|onError|removeListener|receive|sign)$/.test(name)) return 'sdk';
  // Re-fetching the event from the provider's API trusts the provider, not the body.
  if (EVENT_REFETCH.test(name)) return 'sdk';
  const module = calleeModule(model, c);
  if (module && WEBHOOK_MODULE.test(module) && VERIFY_VERB.test(last)) return 'sdk';
  if (/^(verify|unwrap|verify_signature|validate)$/.test(last) && isVerifierObject(model, ir.receiver(c))) return 'sdk';
  // A verify-named helper from elsewhere in the app (a relative import, an injected service) that
  // this analysis cannot open; a third-party package's `verify` (jsonwebtoken, WebAuthn) proves nothing here.
  if (VERIFY_NAME.test(last) && !/^(get|read|create|compute|sign|generate|make|build|set)/i.test(last) && !HMAC_CALL.test(name) && (!module || module.startsWith('.'))) {
    return module || /^(this|self)\./.test(name) ? 'named' : undefined;
  }
  return undefined;
}

/**
 * The call is a provider SDK's check (isVerifyCall says `sdk`). Every `sdk` answer needs a verify
 * verb or a provider's webhooks/events namespace in the callee's name, so the name is tested
 * first: this is asked of every call of every handler-shaped function, and most are `res.json`.
 */
export function isSdkVerifyCall(model: CodeModel, c: ir.Call): boolean {
  const last = ir.calleeName(c) ?? '';
  if (!PROVIDER_VERIFY.test(last) && !VERIFY_VERB.test(last)) {
    const name = ir.dottedName(c.callee) ?? '';
    if (!WEBHOOKS_NAMESPACE.test(name) && !EVENT_REFETCH.test(name)) return false;
  }
  return isVerifyCall(model, c) === 'sdk';
}

/** The module the callee (or its receiver chain's root) was imported from. */
function calleeModule(model: CodeModel, c: ir.Call): string | undefined {
  let root: ir.Node = ir.unwrap(c.callee);
  while (root.type === 'Member') root = ir.unwrap(root.object);
  if (root.type === 'Call') root = ir.unwrap(root.callee);
  return root.type === 'Ident' ? model.moduleOf(root.name)?.module : undefined;
}

/** `wh` in `const wh = new Webhook(secret); wh.verify(...)`: an instance of a webhook verifier class. */
function isVerifierObject(model: CodeModel, recv: ir.Node | undefined): boolean {
  const u = recv && ir.unwrap(recv);
  if (u?.type !== 'Ident') return false;
  if (/^(wh|webhooks?|svix\w*|\w*[Ww]ebhook\w*)$/.test(u.name)) return true;
  const v = model.valueOf(u);
  const made = v && ir.unwrap(v);
  if (made?.type !== 'Call') return false;
  const cls = ir.dottedName(made.callee) ?? '';
  return /Webhook/.test(cls) || WEBHOOK_MODULE.test(calleeModule(model, made) ?? '');
}

export interface Verification {
  /** Offset from which the payload counts as verified (the handler start for middleware). */
  at: number;
  how: VerifyKind | 'middleware' | 'shared-secret';
  call?: ir.Call;
}

export interface VerificationFacts {
  verified?: Verification;
  /** An HMAC is computed but compared with `==`/`===` (timing leak), not in constant time. */
  weakCompare?: ir.Node;
  /** The check runs only when a secret is configured (`if (endpointSecret) {...}`); without it the body is trusted. */
  failOpen?: { guard: ir.If; secret: string };
}

/**
 * How the handler verifies the sender: route middleware and decorators, router-level `use(...)`,
 * the handler's own checks and those of the helpers it calls (two levels deep, across one import).
 */
export function verificationOf(model: CodeModel, h: WebhookHandler): VerificationFacts {
  return model.cached(`verification:${h.fn.start}`, () => computeVerification(model, h));
}

function computeVerification(model: CodeModel, h: WebhookHandler): VerificationFacts {
  const fn = h.fn;
  const mw = [...(h.route?.middleware ?? []), ...fn.decorators, ...routerLevelMiddleware(model, h.route)];
  for (const m of mw) {
    const u = ir.unwrap(m);
    const name = ir.dottedName(u.type === 'Call' ? u.callee : u) ?? '';
    const last = name.split('.').pop() ?? '';
    // A middleware defined in this file is judged by its body, like any helper.
    const local = u.type === 'Ident' ? model.valueOf(u) : undefined;
    if (local?.type === 'Func') {
      if (provesSender(model, local, 1)) return { verified: { at: fn.start, how: 'middleware' } };
      continue;
    }
    if (VERIFY_NAME.test(last) && !/^(get|read|create|compute|sign|generate|make|build|set)/i.test(last)) return { verified: { at: fn.start, how: 'middleware' } };
    // Factories given a verifier: `createNodeMiddleware(webhooks)`, `withSignature(verifyStripe)`.
    if (u.type === 'Call' && u.args.some((a) => { const x = ir.unwrap(a); return x.type === 'Ident' && (VERIFY_NAME.test(x.name) || x.name === 'webhooks'); })) return { verified: { at: fn.start, how: 'middleware' } };
  }
  const found = scanChecks(model, fn, 0);
  if (found.best) {
    const guard = found.best.call ? failOpenGuard(model, fn, found.best.call) : undefined;
    return { verified: found.best, failOpen: guard };
  }
  if (found.secretCompare) return { verified: found.secretCompare };
  return found.hmac ? { weakCompare: found.hmac } : {};
}

interface Checks { best?: Verification; hmac?: ir.Call; secretCompare?: Verification }

/** Verification calls and comparisons in a function and the helpers it calls (two levels, one import). */
function scanChecks(model: CodeModel, fn: ir.Func, depth: number, at?: number, checks: Checks = {}): Checks {
  ir.walk(fn.body, (n) => {
    if (n.type === 'Binary' && !checks.secretCompare && isSecretComparison(model, n)) {
      checks.secretCompare = { at: at ?? n.start, how: 'shared-secret' };
      return;
    }
    if (n.type !== 'Call') return;
    const kind = isVerifyCall(model, n);
    const pos = at ?? n.start;
    if (kind && !(kind === 'compare' && n.parent?.type === 'ExprStmt')) {
      if (!checks.best || pos < checks.best.at) checks.best = { at: pos, how: kind, call: n };
      return;
    }
    if (HMAC_CALL.test(ir.dottedName(n.callee) ?? '')) checks.hmac ??= n;
    if (depth >= 2) return;
    const local = localFunction(model, n);
    if (local && local !== fn && !ir.isInside(n, local)) { scanChecks(model, local, depth + 1, pos, checks); return; }
    const foreign = importedFunction(model, n);
    if (foreign && depth === 0) {
      const inner = scanChecks(foreign.model, foreign.fn, depth + 1, pos);
      if (inner.best && (!checks.best || pos < checks.best.at)) checks.best = { ...inner.best, at: pos, call: inner.best.call && n };
      if (inner.secretCompare) checks.secretCompare ??= { ...inner.secretCompare, at: pos };
      if (inner.hmac) checks.hmac ??= n;
    }
  });
  return checks;
}

/** A helper (or middleware) whose body proves the sender by one of the checks above. */
function provesSender(model: CodeModel, fn: ir.Func, depth: number): boolean {
  const c = scanChecks(model, fn, depth);
  return !!(c.best || c.secretCompare);
}

/**
 * `secret !== settings.WEBHOOK_SECRET` where one side comes from the request (a header, path or
 * query token) and the other is the configured secret, and the comparison decides whether the
 * request goes on: a shared-secret check (timing aside, which timing-unsafe-compare reports).
 */
function isSecretComparison(model: CodeModel, b: ir.Binary): boolean {
  if (!/^(===|==|!==|!=)$/.test(b.op)) return false;
  const sides = [b.left, b.right];
  const fromRequest = sides.find((s) => taintOf(model, s) === 'request');
  const other = sides.find((s) => s !== fromRequest);
  if (!fromRequest || !other || taintOf(model, other) === 'request' || constantString(model, other) !== undefined) return false;
  const name = ir.dottedName(ir.unwrap(other)) ?? '';
  if (!isOperatorValue(model, other) && !isCredentialName(name.split('.').pop() ?? '')) return false;
  return decides(b);
}

/** The comparison is an `if` test whose branch ends the request, or the whole condition of one. */
function decides(n: ir.Node): boolean {
  let cur: ir.Node = n;
  while (cur.parent && (cur.parent.type === 'Binary' && /^(&&|\|\|)$/.test(cur.parent.op) || (cur.parent.type === 'Unary' && cur.parent.op === '!') || (cur.parent.type === 'Other' && cur.parent.kind === 'paren'))) cur = cur.parent;
  const p = cur.parent;
  if (p?.type !== 'If' || p.test !== cur) return false;
  return !!ir.find(p.then, (x) => x.type === 'Return' || x.type === 'Throw') || !!(p.else && ir.find(p.else, (x) => x.type === 'Return' || x.type === 'Throw'));
}

/**
 * `if (endpointSecret) { event = stripe.webhooks.constructEvent(...) }` with the event otherwise
 * taken from the body (`let event = req.body` before, or an `else` that parses it): the check
 * only runs where the secret is configured. A development-only fallback is not failing open.
 */
function failOpenGuard(model: CodeModel, fn: ir.Func, verify: ir.Call): { guard: ir.If; secret: string } | undefined {
  let guard: ir.If | undefined;
  for (let p = verify.parent; p && p !== fn; p = p.parent) {
    if (p.type === 'If' && ir.isInside(verify, p.then)) { guard = p; break; }
  }
  if (!guard || !isSecretPresenceTest(model, guard.test)) return undefined;
  const secret = model.text.slice(guard.test.start, guard.test.end);
  if (guard.else) {
    if (isDevelopmentOnly(model, guard.else)) return undefined;
    return takesEventFromBody(model, guard.else) ? { guard, secret } : undefined;
  }
  // No else: the event variable the check overwrites holds the unverified body until then.
  const assign = ir.ancestors(verify).find((a): a is ir.Assign => a.type === 'Assign');
  const target = assign && ir.unwrap(assign.target);
  if (target?.type !== 'Ident') return undefined;
  const b = model.resolve(target);
  const before = b?.assigns.filter((a) => a !== assign && a.start < guard!.start && !!a.value) ?? [];
  return before.some((a) => isBodyRead(model, a.value!)) ? { guard, secret } : undefined;
}

function isSecretPresenceTest(model: CodeModel, test: ir.Node): boolean {
  let u = ir.unwrap(test);
  if (u.type === 'Binary' && /^(!==|!=|is not)$/.test(u.op)) u = ir.unwrap(u.left);
  if (u.type === 'Call' && /^(Boolean|bool|len)$/.test(ir.calleeName(u) ?? '') && u.args[0]) u = ir.unwrap(u.args[0]);
  const name = u.type === 'Ident' ? u.name : u.type === 'Member' ? u.prop : undefined;
  return !!name && (/secret|signing|webhook_?key|whsec/i.test(name) || (isOperatorValue(model, u) && isCredentialName(name)));
}

function isDevelopmentOnly(model: CodeModel, branch: ir.Node): boolean {
  const first = branch.type === 'Block' && branch.body.length === 1 ? branch.body[0] : branch;
  return first.type === 'If' && /\b(?:development|dev|debug|test|testing|local)\b/i.test(model.text.slice(first.test.start, first.test.end));
}

function takesEventFromBody(model: CodeModel, branch: ir.Node): boolean {
  return !!ir.find(branch, (n) => n.type === 'Assign' && !!n.value && isBodyRead(model, n.value));
}

/** The request body as the event: `req.body`, `JSON.parse(body)`, `request.get_json()`, `await request.json()`. */
function isBodyRead(model: CodeModel, v: ir.Node): boolean {
  const u = ir.unwrap(v.type === 'Await' ? v.arg : v);
  if (u.type === 'Member' && isRequestRead(model, u)) return /^(body|json|data|payload)$/.test(u.prop);
  if (u.type === 'Index' || u.type === 'Member') return taintOf(model, u) === 'request' && /body|json|data|payload/i.test(model.text.slice(u.start, u.end));
  if (u.type === 'Call') {
    const last = ir.calleeName(u) ?? '';
    if (/^(parse|loads|get_json|json)$/.test(last)) return taintOf(model, u) === 'request' || u.args.some((a) => taintOf(model, a) === 'request');
  }
  return u.type === 'Ident' && taintOf(model, u) === 'request';
}

/** `router.use(verifySignature)` / `app.use('/webhooks', verifyWebhook)` registered on the route's owner. */
function routerLevelMiddleware(model: CodeModel, route?: Route): ir.Node[] {
  if (!route?.owner || route.node.type !== 'Call') return [];
  const out: ir.Node[] = [];
  for (const c of useCalls(model)) {
    if (ir.dottedName((c.callee as ir.Member).object) !== route.owner) continue;
    if (c.start > route.node.start) continue;
    const first = c.args[0] && constantString(model, c.args[0]);
    if (first !== undefined && route.path && !route.path.startsWith(first)) continue;
    out.push(...c.args.slice(first !== undefined ? 1 : 0));
  }
  return out;
}
