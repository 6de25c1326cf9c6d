// The webhook model: which request handlers receive provider events (Stripe, GitHub, Svix...),
// what the event and its id are, and whether the handler verifies the sender's signature.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { isHandlerShaped, routeOf, routes, type Route } from './routes';
import { taintOf } from './taint';
import { constantString } from '../model/values';
import { isEventRoot } from './webhook-event';
import { isSdkVerifyCall, VERIFY_NAME } from './webhook-verify';
import { within } from '../model/ranges';

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

/** Event names only a payment provider sends; other dotted names (`page.viewed`) need more evidence. */
const PROVIDER_ONLY_EVENT = /^(checkout\.session|payment_intent|setup_intent|customer\.subscription|invoice|charge|payout|transfer|subscription_schedule|billing_portal|payment_method|application_fee|credit_note)\./;
/** Route middleware that authenticates a user: such a route is an app API, not a provider's webhook. */
const USER_AUTH = /auth|login|session|jwt|token|passport|protect|requireUser|loggedIn|currentUser|current_user/i;
/** Fields a provider's event carries its type in. */
const EVENT_FIELD = /^(type|event|event_type|eventType|action|topic|kind)$/;
/** Functions an event is handed to whole: `handleWebhookEvent(event)`, `process_event(payload)`, `dispatch(event)`. */
const EVENT_HANDLER_CALL = /^(handle|process|dispatch|route|on|receive|consume|ingest)[A-Z_]|^(handle|process|dispatch|receive|consume)$/;

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

/**
 * A webhook receiver is recognised by what it does with the request: it reads a provider's
 * delivery headers (`stripe-signature`, `x-hub-signature-256`, `svix-id`), runs a provider's
 * signature check, branches on provider event names, or, on a POST route whose path or name says
 * webhook, takes the body as an event (reads its `type`, hands it whole to a handler). A route
 * behind the app's own login is where users manage webhook subscriptions, not a receiver; names
 * and `verify` calls alone prove nothing (`jwt.verify` in a refresh route, WebAuthn checks).
 */
function asWebhook(model: CodeModel, fn: ir.Func, route?: Route): WebhookHandler | undefined {
  // Providers deliver with POST; a GET on /webhooks lists an account's subscriptions.
  if (route && !/^(POST|PUT|ALL)$/.test(route.method)) return undefined;
  const text = model.text.slice(fn.start, fn.end);
  const eventTypes = eventTypesIn(model, fn);
  // Cheapest evidence first: the SDK check reads every call of the body.
  const byHeader = PROVIDER_HEADER.test(text);
  const byEvents = eventTypes.some((t) => PROVIDER_ONLY_EVENT.test(t));
  if (!byHeader && !byEvents && !within(model.calls, fn.body).some((c) => isSdkVerifyCall(model, c))) {
    const userApi = !!route?.middleware.some((m) => USER_AUTH.test(model.text.slice(m.start, m.end)) && !VERIFY_NAME.test(model.text.slice(m.start, m.end)));
    const named = (!!route?.path && WEBHOOK_PATH.test(route.path)) || (!!fn.name && /webhook/i.test(fn.name));
    if (!named || userApi || !takesBodyAsEvent(model, fn, eventTypes)) return undefined;
  }
  return { fn, route, label: labelOf(model, fn, route), head: headRange(model, fn, route), provider: providerOf(model, fn, route, text, eventTypes), eventTypes };
}

/** The handler treats the body as an event: branches on its type, reads its type field, or hands it whole to a handler. */
function takesBodyAsEvent(model: CodeModel, fn: ir.Func, eventTypes: string[]): boolean {
  if (eventTypes.length) return true;
  return !!ir.find(fn.body, (n) => {
    if (n.type === 'Member' && EVENT_FIELD.test(n.prop) && taintOf(model, n.object) === 'request' && isEventRoot(model, n.object)) return true;
    if (n.type !== 'Call') return false;
    const last = ir.calleeName(n) ?? '';
    return EVENT_HANDLER_CALL.test(last) && n.args.some((a) => isEventRoot(model, a.type === 'Keyword' ? a.value : a));
  });
}

function labelOf(model: CodeModel, fn: ir.Func, route?: Route): string {
  if (route?.path) return route.method !== 'ALL' ? `${route.method} ${route.path}` : route.path;
  // `export async function POST(req)` outside an app/**/route.ts file, whose path would name it.
  if (fn.name && /^(GET|POST|PUT|PATCH|DELETE)$/.test(fn.name)) return `${fn.name} route`;
  // An anonymous function with no route to name it: where it is (never "webhook handler handler").
  return fn.name ?? route?.path ?? `at line ${model.lines.position(fn.start).line + 1}`;
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
  const eventName = (s: ir.Node | undefined) => {
    const v = s && constantString(model, s);
    return v && EVENT_NAME.test(v) ? v : undefined;
  };
  const addIfEvent = (s: ir.Node | undefined) => {
    const v = eventName(s);
    if (v) out.add(v);
  };
  for (const n of typeTests(model, fn)) {
    if (n.type === 'Binary') {
      // Only a comparison with an event name adds one: the names are read before the type read,
      // whose taint question is the costly part (`rows.length === 0` has none).
      const r = ir.unwrap(n.right);
      const fromRight = (r.type === 'ArrayLit' ? r.elements : [r]).map(eventName).filter((v): v is string => !!v);
      const fromLeft = eventName(n.left);
      if (!fromRight.length && !fromLeft) continue;
      if (isTypeRead(n.left)) fromRight.forEach((v) => out.add(v));
      else if (fromLeft && isTypeRead(n.right)) out.add(fromLeft);
    } else if (n.children[0] && isTypeRead(n.children[0])) {
      for (const c of n.children.slice(1)) ir.walk(c, (k) => { if (k.type === 'Str') addIfEvent(k); return k.type !== 'Block'; });
    }
  }
  return [...out];
}

/**
 * The comparisons and switch/match statements of a function's body (nested functions included),
 * in walk order, taken from the model's node index: every handler-shaped function is asked, and
 * a walk of each body visits every node to find a few.
 */
function typeTests(model: CodeModel, fn: ir.Func): (ir.Binary | ir.Other)[] {
  const compares = within(model.nodesOfType('Binary'), fn.body).filter((n) => /^(===|==|!==|!=|in|not in)$/.test(n.op));
  const switches = within(model.nodesOfType('Other'), fn.body).filter((n) => n.kind === 'switch' || n.kind === 'match_statement');
  if (!switches.length) return compares;
  if (!compares.length) return switches;
  return [...compares, ...switches].sort((a, b) => a.idx! - b.idx!);
}
