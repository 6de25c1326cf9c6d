// The Stripe SDK model: which receivers are Stripe clients, which calls move money, and whether
// such a call carries an idempotency key.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { resolveValue } from '../model/values';

/** Resources whose `create` moves money or bills a customer: a duplicate costs someone. */
const MONEY_RESOURCES = new Set([
  'charges', 'paymentIntents', 'payment_intents', 'refunds', 'transfers', 'payouts', 'topups', 'subscriptions', 'invoiceItems', 'invoice_items',
  'Charge', 'PaymentIntent', 'Refund', 'Transfer', 'Payout', 'Topup', 'Subscription', 'InvoiceItem',
]);

export interface StripeCall {
  call: ir.Call;
  /** The callee as written: `stripe.paymentIntents.create`. */
  name: string;
  /** `paymentIntents`, `Refund`, `checkout.sessions`... */
  resource: string;
  method: string;
  /** A `create` on a money-moving resource. */
  moneyCreate: boolean;
  hasIdempotencyKey: boolean;
}

/** The Stripe API call this is, if its receiver is a Stripe client or the `stripe` module. */
export function stripeCall(model: CodeModel, c: ir.Call): StripeCall | undefined {
  const callee = c.callee;
  if (callee.type !== 'Member' || c.isNew) return undefined;
  // Judged once per call: the effects model and the webhook rules all ask.
  const known = model.table<ir.Call, StripeCall | null>('stripeCalls');
  const hit = known.get(c);
  if (hit !== undefined) return hit ?? undefined;
  const s = computeStripeCall(model, c, callee);
  known.set(c, s ?? null);
  return s;
}

function computeStripeCall(model: CodeModel, c: ir.Call, callee: ir.Member): StripeCall | undefined {
  const segs: ir.Node[] = [];
  let cur: ir.Node = callee.object;
  while (cur.type === 'Member') { segs.unshift(cur); cur = cur.object; }
  if (!segs.length) return undefined;
  const names = segs.map((s) => (s as ir.Member).prop);
  // `stripe.webhooks.*` is not an API call; verification is modelled elsewhere.
  if (names.includes('webhooks') || names.includes('Webhook')) return undefined;
  if (!isStripeRoot(model, cur, names)) return undefined;
  const resourceNames = names.filter((n) => !/stripe/i.test(n) && n !== 'v1' && n !== 'v2');
  if (!resourceNames.length) return undefined;
  const resource = resourceNames.join('.');
  const method = callee.prop;
  const last = resourceNames[resourceNames.length - 1];
  // A refund of the whole charge happens once: Stripe rejects a second with charge_already_refunded.
  // Only a partial refund (an `amount`) can be repeated.
  const fullRefund = /^(refunds|Refund)$/.test(last) && !refundAmount(c);
  const moneyCreate = method === 'create' && MONEY_RESOURCES.has(last) && !fullRefund;
  return { call: c, name: ir.dottedName(callee) ?? `${resource}.${method}`, resource, method, moneyCreate, hasIdempotencyKey: hasIdempotencyKey(model, c) };
}

function refundAmount(c: ir.Call): boolean {
  for (const a of c.args) {
    if (a.type === 'Keyword' && a.name === 'amount') return true;
    const o = ir.unwrap(a);
    if (o.type === 'ObjectLit' && o.props.some((p) => p.type === 'Spread' || (p.type === 'Prop' && p.key === 'amount'))) return true;
    if (a.type === 'Spread' || o.type === 'Ident') return true;
  }
  return false;
}

function isStripeRoot(model: CodeModel, root: ir.Node, members: string[]): boolean {
  if (members.slice(0, -1).some((m) => /stripe/i.test(m))) return true;
  const u = ir.unwrap(root);
  if (u.type === 'Other' && u.kind === 'this') return /stripe/i.test(members[0] ?? '');
  if (u.type !== 'Ident') return false;
  const imp = model.moduleOf(u.name);
  if (imp) return /(^|[/@._-])stripe([/._-]|$)/i.test(imp.module);
  const v = resolveValue(model, u);
  if (v && isStripeConstruction(model, v)) return true;
  return /^stripe(Client|Api|Sdk)?$/i.test(u.name);
}

/** `new Stripe(key)`, `Stripe(key)`, `require('stripe')(key)`, `stripe.StripeClient(key)`. */
export function isStripeConstruction(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type !== 'Call') return false;
  const callee = ir.unwrap(u.callee);
  if (callee.type === 'Call' && ir.calleeName(callee) === 'require') return callee.args[0]?.type === 'Str' && callee.args[0].value === 'stripe';
  const name = ir.dottedName(callee) ?? '';
  if (/^(stripe\.)?StripeClient$/.test(name)) return true;
  if (callee.type === 'Ident') {
    const imp = model.moduleOf(callee.name);
    return imp?.module === 'stripe' || (!imp && callee.name === 'Stripe');
  }
  return false;
}

function hasIdempotencyKey(model: CodeModel, c: ir.Call): boolean {
  if (model.lang === 'py') {
    for (const a of c.args) {
      if (a.type === 'Spread') return true;
      if (a.type !== 'Keyword') continue;
      if (a.name === 'idempotency_key') return true;
      if (a.name === 'options') {
        const o = resolveValue(model, a.value);
        return !o || o.type !== 'ObjectLit' || o.props.some((p) => p.type === 'Spread' || p.key === 'idempotency_key');
      }
    }
    return false;
  }
  for (const a of c.args.slice(1)) {
    if (a.type === 'Spread') return true;
    const o = resolveValue(model, a);
    // Options built elsewhere may carry a key: only a literal without one is known to lack it.
    if (!o || o.type !== 'ObjectLit') return true;
    if (o.props.some((p) => p.type === 'Spread' || p.key === 'idempotencyKey' || p.key === 'idempotency_key')) return true;
  }
  return false;
}

/**
 * Source text of a Stripe client usable for `<client>.webhooks.constructEvent` in JS, or the
 * module name for `stripe.Webhook.construct_event` in Python; undefined when the file has none.
 */
export function stripeClientName(model: CodeModel): string | undefined {
  return model.cached('stripeClientName', () => {
    if (model.lang === 'py') {
      for (const imp of model.imports) if (imp.module === 'stripe') for (const n of imp.names) if (n.imported === '*') return n.local;
      return undefined;
    }
    let staticName: string | undefined;
    for (const [name, b] of model.bindings(model.root)) {
      if (b.kind === 'var' && b.value && isStripeConstruction(model, b.value)) return name;
      if (b.kind === 'import' && b.module && /(^|[/@._-])stripe([/._-]|$)/i.test(b.module) && b.module !== 'stripe' && /^stripe/i.test(name)) return name;
      if (b.kind === 'import' && b.module === 'stripe' && (b.imported === 'default' || b.imported === '*')) staticName = name;
    }
    // CommonJS: const Stripe = require('stripe') binds the class, whose static `webhooks` verifies too.
    for (const [name, b] of model.bindings(model.root)) {
      const v = b.value && ir.unwrap(b.value);
      if (v?.type === 'Call' && ir.calleeName(v) === 'require' && v.args[0]?.type === 'Str' && v.args[0].value === 'stripe') staticName ??= name;
    }
    return staticName;
  });
}
