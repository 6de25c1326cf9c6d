// The webhook model: which request handlers receive provider events (Stripe, GitHub, Svix...),
// what the event and its id are, and whether the handler verifies the sender's signature.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { isHandlerShaped, routeOf, routes, type Route } from './routes';
import { isRequestObject, isRequestRead, taintOf } from './taint';
import { constantString } from '../model/values';
import { localFunction } from '../model/calls';

export type Provider = 'stripe' | 'github' | 'svix' | 'other';

export interface WebhookHandler {
  fn: ir.Func;
  route?: Route;
  /** How messages name it: `POST /webhooks/stripe`, or the function name. */
  label: string;
  /** Where findings about the whole handler are reported (see headRange). */
  head: { start: number; end: number };
  provider: Provider;
  /** Provider event types the handler branches on (`checkout.session.completed`). */
  eventTypes: string[];
}

const WEBHOOK_PATH = /web-?hooks?|(^|\/)hooks?(\/|$)/i;
/** Headers only a provider's webhook delivery carries. */
const PROVIDER_HEADER = /['"](stripe-signature|x-github-event|x-github-delivery|x-hub-signature(-256)?|svix-(id|signature|timestamp)|webhook-(id|signature)|x-shopify-hmac-sha256|x-slack-signature|x-twilio-signature|paddle-signature|x-signature)['"]/i;
/** Dotted, lower-case event names: `payment_intent.succeeded`, `customer.subscription.deleted`. */
const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+){1,4}$/;
/** Prefixes of Stripe event names, for telling which provider a handler serves. */
const STRIPE_EVENT = /^(checkout|payment_intent|invoice|customer|charge|account|payout|transfer|setup_intent|subscription_schedule|price|product|billing_portal|radar|review|issuing|identity|treasury|payment_method|refund|application_fee|balance|mandate|source|topup|quote|credit_note|file|promotion_code|coupon|tax_rate|plan)\./;

/** Event names only a payment provider sends; other dotted names (`page.viewed`) need a provider named in the handler. */
const PROVIDER_ONLY_EVENT = /^(checkout\.session|payment_intent|setup_intent|customer\.subscription|invoice|charge|payout|transfer|subscription_schedule|billing_portal|payment_method|application_fee|credit_note)\./;
const PROVIDER_HINT = /stripe|github|svix|clerk|shopify|paddle|lemon_?squeezy|paypal|razorpay|resend|twilio|sendgrid|mailgun|postmark|slack|webhook/i;
/** Route middleware that authenticates a user: such a route is an app API, not a provider's webhook. */
const USER_AUTH = /auth|login|session|jwt|token|passport|protect|requireUser|loggedIn|currentUser|current_user/i;

/** Request handlers that receive webhook events, once per handler function (cached). */
export function webhookHandlers(model: CodeModel): WebhookHandler[] {
  return model.cached('webhookHandlers', () => {
    const out: WebhookHandler[] = [];
    const seen = new Set<ir.Func>();
    const consider = (fn: ir.Func, route?: Route) => {
      if (seen.has(fn)) return;
      seen.add(fn);
      const h = asWebhook(model, fn, route);
      if (h) out.push(h);
    };
    for (const r of routes(model)) if (r.handler) consider(r.handler, r);
    for (const fn of model.functions) if (!seen.has(fn) && isHandlerShaped(model, fn)) consider(fn);
    return out;
  });
}

function asWebhook(model: CodeModel, fn: ir.Func, route?: Route): WebhookHandler | undefined {
  const text = model.text.slice(fn.start, fn.end);
  const eventTypes = eventTypesIn(model, fn);
  // `/api/webhooks` behind a login is where users manage their webhook subscriptions.
  const userApi = !!route?.middleware.some((m) => USER_AUTH.test(model.text.slice(m.start, m.end)) && !VERIFY_NAME.test(model.text.slice(m.start, m.end)));
  const byPath = !!route?.path && WEBHOOK_PATH.test(route.path) && /^(POST|ALL)$/.test(route.method) && !userApi;
  const byName = !!fn.name && /webhook/i.test(fn.name);
  const byHeader = PROVIDER_HEADER.test(text);
  const bySdk = !!ir.find(fn.body, (c) => c.type === 'Call' && isVerifyCall(c) === 'sdk');
  const byEvents = eventTypes.some((t) => PROVIDER_ONLY_EVENT.test(t)) || (eventTypes.length > 0 && PROVIDER_HINT.test(`${text} ${route?.path ?? ''}`));
  if (!byPath && !byName && !byHeader && !bySdk && !byEvents) return undefined;
  return { fn, route, label: labelOf(fn, route), head: headRange(model, fn, route), provider: providerOf(model, fn, route, text, eventTypes), eventTypes };
}

function labelOf(fn: ir.Func, route?: Route): string {
  if (route?.path) return route.method !== 'ALL' ? `${route.method} ${route.path}` : route.path;
  // `export async function POST(req)` outside an app/**/route.ts file, whose path would name it.
  if (fn.name && /^(GET|POST|PUT|PATCH|DELETE)$/.test(fn.name)) return `${fn.name} route`;
  return fn.name ?? route?.path ?? 'handler';
}

function providerOf(model: CodeModel, fn: ir.Func, route: Route | undefined, text: string, types: string[]): Provider {
  if (/stripe/i.test(text) || types.some((t) => STRIPE_EVENT.test(t)) || /stripe/i.test(route?.path ?? '')) return 'stripe';
  if (/x-github-|x-hub-signature|octokit/i.test(text) || /github/i.test(route?.path ?? '')) return 'github';
  if (/svix|webhook-signature/i.test(text) || model.usesModule((m) => m === 'svix')) return 'svix';
  return model.usesModule((m) => m === 'stripe') && !fn.name?.match(/github|svix|clerk/i) ? 'stripe' : 'other';
}

/**
 * Where a finding about a handler goes: an anonymous handler written inline in its route
 * registration is named by the route, so the registration call up to its path; a named handler
 * by its name (`def stripe_webhook`, `export async function POST`).
 */
export function headRange(model: CodeModel, fn: ir.Func, route?: Route): { start: number; end: number } {
  const reg = route?.node.type === 'Call' ? route.node : undefined;
  const named = fn.kind === 'decl' || fn.kind === 'method' || (fn.name && fn.parent?.type === 'Assign');
  if (reg && (!named || ir.isInside(fn, reg))) {
    const first = reg.args[0];
    return { start: reg.start, end: first && first.end < fn.start ? first.end : reg.callee.end };
  }
  if (fn.name) {
    if (fn.parent?.type === 'Assign' && fn.parent.target.type === 'Ident' && fn.parent.target.name === fn.name) return { start: fn.parent.target.start, end: fn.parent.target.end };
    const from = fn.decorators.length ? fn.decorators[fn.decorators.length - 1].end : fn.start;
    const re = new RegExp(`\\b${fn.name.replace(/\$/g, '\\$')}\\b`, 'g');
    re.lastIndex = from;
    const m = re.exec(model.text);
    if (m && m.index < fn.bodyStart) return { start: m.index, end: m.index + fn.name.length };
  }
  return { start: fn.start, end: Math.max(fn.start, Math.min(fn.bodyStart, fn.end)) };
}

/** Event types compared against the payload's `type` (`event.type === 'invoice.paid'`, `case 'invoice.paid':`). */
function eventTypesIn(model: CodeModel, fn: ir.Func): string[] {
  const out = new Set<string>();
  const isTypeRead = (n: ir.Node): boolean => {
    const u = ir.unwrap(n);
    if (u.type === 'Member') return /^(type|event|event_type|eventType|action|topic)$/.test(u.prop) && taintOf(model, u.object) === 'request';
    if (u.type === 'Call' && u.callee.type === 'Member' && u.callee.prop === 'get') {
      const k = u.args[0] && constantString(model, u.args[0]);
      return k === 'type' && taintOf(model, u.callee.object) === 'request';
    }
    if (u.type === 'Ident') {
      const v = model.valueOf(u);
      return !!v && v !== u && isTypeRead(v);
    }
    return false;
  };
  const addIfEvent = (s: ir.Node | undefined) => {
    const v = s && constantString(model, s);
    if (v && EVENT_NAME.test(v)) out.add(v);
  };
  ir.walk(fn.body, (n) => {
    if (n.type === 'Binary' && /^(===|==|!==|!=|in|not in)$/.test(n.op)) {
      if (isTypeRead(n.left)) {
        const r = ir.unwrap(n.right);
        if (r.type === 'ArrayLit') r.elements.forEach(addIfEvent); else addIfEvent(r);
      } else if (isTypeRead(n.right)) addIfEvent(n.left);
    } else if (n.type === 'Other' && (n.kind === 'switch' || n.kind === 'match_statement') && n.children[0] && isTypeRead(n.children[0])) {
      for (const c of n.children.slice(1)) ir.walk(c, (k) => { if (k.type === 'Str') addIfEvent(k); return k.type !== 'Block'; });
    }
  });
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Signature verification

const SDK_VERIFY = /^(constructEvent|constructEventAsync|construct_event|verify_header|verifyHeader|verifyHeaderAsync|verifySignature|verifyAndReceive|unmarshal|validateWebhookSignature|verifyRequestSignature|validateRequest|validateRequestWithBody|verifyWebhook|verify_webhook)$/;
const CONSTANT_TIME = /^(timingSafeEqual|compare_digest|constantTimeCompare|safeCompare|secureCompare|timingSafeEqualStrings)$/;
const HMAC_CALL = /(^|\.)createHmac$|^hmac\.(new|HMAC|digest)$|^HMAC$/;
/** Names of helpers, middleware and decorators that verify a signature (`verifyStripeSignature`, `@require_signature`). */
export const VERIFY_NAME = /^verify|^(validate|check|assert|is_?valid|authenticate|require|ensure|construct)[_A-Za-z0-9]*(sig|hmac|webhook|hook|stripe|github|svix|signed|origin)|signature|hmac/i;

/**
 * Whether a call verifies a webhook: `sdk` for provider SDK checks (`stripe.webhooks.constructEvent`,
 * svix `wh.verify`, `@octokit/webhooks` `verify`), `compare` for a constant-time comparison,
 * `named` for a helper whose name says it verifies a signature.
 */
export function isVerifyCall(c: ir.Call): 'sdk' | 'compare' | 'named' | undefined {
  const name = ir.dottedName(c.callee) ?? '';
  const last = ir.calleeName(c) ?? '';
  if (last === 'constructEventWithoutVerification' || last === 'generateTestHeaderString') return undefined;
  if (SDK_VERIFY.test(last)) return 'sdk';
  if (last === 'verify' || last === 'verify_signature') return 'sdk';
  // Any method of a provider's `webhooks` namespace except event subscription (`webhooks.on`).
  if (/(^|\.)webhooks?\.[A-Za-z_]+$/i.test(name) && !/\.(on|onAny|onError|removeListener|receive|sign)$/.test(name)) return 'sdk';
  if (CONSTANT_TIME.test(last)) return 'compare';
  // Re-fetching the event from the provider's API trusts the provider, not the body.
  if (/(^|\.)events\.retrieve$|(^|\.)Event\.retrieve$/.test(name)) return 'sdk';
  if (isVerifierName(last) && !HMAC_CALL.test(name)) return 'named';
  return undefined;
}

function isVerifierName(name: string): boolean {
  return VERIFY_NAME.test(name) && !/^(get|read|create|compute|sign|generate|make|build|set)/i.test(name);
}

function isHmacCall(c: ir.Call): boolean {
  return HMAC_CALL.test(ir.dottedName(c.callee) ?? '');
}

export interface Verification {
  /** Offset from which the payload counts as verified (the handler start for middleware). */
  at: number;
  how: 'sdk' | 'compare' | 'named' | 'middleware';
  call?: ir.Call;
}

export interface VerificationFacts {
  verified?: Verification;
  /** An HMAC is computed but compared with `==`/`===` (timing leak), not in constant time. */
  weakCompare?: ir.Node;
}

/**
 * How the handler verifies the sender, looking at route middleware, decorators, router-level
 * `use(...)`, the handler's own calls and the local helpers it calls (two levels deep).
 */
export function verificationOf(model: CodeModel, h: WebhookHandler): VerificationFacts {
  const fn = h.fn;
  const mw = [...(h.route?.middleware ?? []), ...fn.decorators, ...routerLevelMiddleware(model, h.route)];
  for (const m of mw) {
    const u = ir.unwrap(m);
    const name = ir.dottedName(u.type === 'Call' ? u.callee : u) ?? '';
    if (isVerifierName(name.split('.').pop() ?? '')) return { verified: { at: fn.start, how: 'middleware' } };
    // Factories given a verifier: `createNodeMiddleware(webhooks)`, `withSignature(verifyStripe)`.
    if (u.type === 'Call' && u.args.some((a) => { const x = ir.unwrap(a); return x.type === 'Ident' && (isVerifierName(x.name) || x.name === 'webhooks'); })) return { verified: { at: fn.start, how: 'middleware' } };
  }
  let best: Verification | undefined;
  let hmac: ir.Call | undefined;
  const visit = (root: ir.Node, depth: number, at?: number) => {
    ir.walk(root, (n) => {
      if (n.type !== 'Call') return;
      const kind = isVerifyCall(n);
      const pos = at ?? n.start;
      if (kind && !(kind === 'compare' && n.parent?.type === 'ExprStmt')) {
        if (!best || pos < best.at) best = { at: pos, how: kind, call: n };
        return;
      }
      if (isHmacCall(n)) hmac ??= n;
      if (depth < 2) {
        const target = localFunction(model, n);
        if (target && target !== fn && !ir.isInside(n, target)) visit(target.body, depth + 1, pos);
      }
    });
  };
  visit(fn.body, 0);
  if (best) return { verified: best };
  if (hmac) return { weakCompare: hmac };
  return {};
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

/** Every `x.use(...)` call of the file, in source order (cached). */
export function useCalls(model: CodeModel): ir.Call[] {
  return model.cached('useCalls', () => model.calls.filter((c) => c.callee.type === 'Member' && c.callee.prop === 'use'));
}

// ---------------------------------------------------------------------------------------------
// The event and its id

/** True when the expression holds a whole webhook event (not a field of it). */
export function isEventRoot(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > 6) return false;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Member': return isRequestRead(model, u) && /^(body|json|data|payload)$/.test(u.prop);
    case 'Call': {
      const last = ir.calleeName(u) ?? '';
      if (SDK_VERIFY.test(last) || last === 'verify' || last === 'constructEventWithoutVerification') return true;
      if (u.callee.type === 'Member' && isRequestObject(model, u.callee.object) && /^(json|get_json)$/.test(last)) return true;
      if (/^(parse|loads|parse_raw|model_validate|model_validate_json|parse_obj|retrieve|construct_from)$/.test(last)) return u.args.some((a) => taintOf(model, a) === 'request');
      return false;
    }
    case 'Ident': {
      const b = model.resolve(u);
      if (!b) return false;
      if (b.kind === 'param') {
        // A framework hands the parsed event to the handler (NestJS `@Body() event`, FastAPI models).
        const fn = b.scope as ir.Func;
        const typeText = fn.params[b.paramIndex ?? 0]?.typeText ?? '';
        if (/\b(\w*Event|\w*Payload|\w*Webhook\w*)\b/.test(typeText) && !/Request\b/.test(typeText)) return true;
        return /^(event|evt|payload|body|data|webhook|notification|webhookEvent|stripeEvent)$/i.test(u.name) && !/Request\b/.test(typeText) && (isHandlerShaped(model, fn) || !!routeOf(model, fn));
      }
      if (b.kind !== 'var') return false;
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : undefined)) : [b.value];
      return values.some((v) => !!v && isEventRoot(model, v, depth + 1));
    }
    case 'Binary': return (u.op === '||' || u.op === '??') && isEventRoot(model, u.left, depth + 1);
    default: return false;
  }
}

const DELIVERY_HEADER = /^(x-github-delivery|svix-id|webhook-id|idempotency-key|x-shopify-webhook-id|x-request-id)$/i;

/**
 * True when the expression is (or contains) the event's unique id: `event.id`, `event['id']`,
 * `event.get('id')`, a delivery-id header, or a local bound to one of those.
 */
export function isEventIdExpr(model: CodeModel, n: ir.Node, depth = 0): boolean {
  if (depth > 6) return false;
  const u = ir.unwrap(n);
  switch (u.type) {
    case 'Member':
      if (u.prop === 'id' && isEventRoot(model, u.object)) return true;
      if (DELIVERY_HEADER.test(u.prop) && isHeaders(model, u.object)) return true;
      // Providers that nest the id: `payload.meta.event_id`, `body.eventId`, `notification.deliveryId`.
      return /^(event_?id|delivery_?id|webhook_?id|notification_?id)$/i.test(u.prop) && taintOf(model, u.object) === 'request';
    case 'Call': {
      const last = ir.calleeName(u);
      const key = u.args[0] && constantString(model, u.args[0]);
      if (u.callee.type === 'Member' && last === 'get' && key === 'id' && isEventRoot(model, u.callee.object)) return true;
      if (u.callee.type === 'Member' && /^(get|header|get_header)$/.test(last ?? '') && key && DELIVERY_HEADER.test(key)) return true;
      // `String(event.id)`, `str(event["id"])`.
      return u.callee.type === 'Ident' && (last === 'String' || last === 'str') && u.args.length === 1 && isEventIdExpr(model, u.args[0], depth + 1);
    }
    case 'Ident': {
      const b = model.resolve(u);
      if (!b || b.kind !== 'var') return false;
      const values = b.assigns.length ? b.assigns.map((a) => (a.target.type === 'Ident' ? a.value : b.value)) : [b.value];
      return values.some((v) => !!v && v !== u && isEventIdExpr(model, v, depth + 1));
    }
    case 'Template': return u.exprs.some((e) => isEventIdExpr(model, e, depth + 1));
    case 'Binary': return isEventIdExpr(model, u.left, depth + 1) || isEventIdExpr(model, u.right, depth + 1);
    default: return false;
  }
}

function isHeaders(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  return u.type === 'Member' && (u.prop === 'headers' || u.prop === 'META') && isRequestObject(model, u.object);
}

/** True when any part of the expression (object literal values, arrays, templates) contains the event id. */
export function mentionsEventId(model: CodeModel, n: ir.Node): boolean {
  let found = false;
  ir.walk(n, (x) => {
    if (found) return false;
    if (x.type === 'Func') return false;
    if ((x.type === 'Member' || x.type === 'Call' || x.type === 'Ident' || x.type === 'Template') && isEventIdExpr(model, x)) { found = true; return false; }
  });
  return found;
}
