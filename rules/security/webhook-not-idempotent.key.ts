// Idempotency keys for Stripe create calls: where a call can be retried, which stable id in
// scope names the operation, and the edit that passes the key.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult } from '../kit/rule';
import { indentAt } from '../kit/model/literals';
import { isHandlerShaped, routeOf } from '../kit/frameworks/routes';
import type { StripeCall } from '../kit/frameworks/stripe';
import { quoteOf } from '../kit/fixes/style';
import { webhookHandlers } from '../kit/frameworks/webhooks';
import { isEventRoot } from '../kit/frameworks/webhook-event';

export interface RetryContext {
  kind: 'retry' | 'webhook' | 'request' | 'job' | 'function';
  /** `withRetry`, `POST /checkout`, `chargeOrder`. */
  name: string;
}

const RETRY_WRAPPER = /retry|retries|backoff|attempt/i;
const JOB_REGISTRATION = /(^|\.)(Worker|process|define|consume|subscribe|schedule|every|handle|on)$/;
const JOB_DECORATOR = /(^|\.)(task|shared_task|actor|job|periodic_task|cron)$/;

/**
 * Why a call may run more than once: inside a retry wrapper or loop, a webhook or request
 * handler, a queue job, or any other function (its callers retry). Module-level code runs once
 * per process (scripts, migrations) and gives undefined.
 */
export function retryContext(model: CodeModel, c: ir.Call): RetryContext | undefined {
  const fns = ir.ancestors(c).filter((a): a is ir.Func => a.type === 'Func');
  if (!fns.length) return undefined;
  for (const f of fns) {
    const host = f.parent?.type === 'Call' && (f.parent as ir.Call).args.includes(f) ? (f.parent as ir.Call) : undefined;
    const hostName = host ? ir.dottedName(host.callee) ?? '' : '';
    if (host && RETRY_WRAPPER.test(hostName)) return { kind: 'retry', name: hostName };
    const deco = f.decorators.map((d) => ir.dottedName(ir.unwrap(d).type === 'Call' ? (ir.unwrap(d) as ir.Call).callee : d) ?? '').find((n) => /retry|backoff/i.test(n));
    if (deco) return { kind: 'retry', name: `@${deco}` };
  }
  for (let p = c.parent; p && p !== fns[0]; p = p.parent) {
    if (p.type === 'Try' && ir.isInside(c, p.block) && ir.ancestors(p).some((a) => a.type === 'Loop' && ir.isInside(a, fns[0]))) return { kind: 'retry', name: 'a retry loop' };
  }
  for (const f of fns) {
    const wh = webhookHandlers(model).find((h) => h.fn === f);
    if (wh) return { kind: 'webhook', name: wh.label };
    const r = routeOf(model, f);
    if (r) return { kind: 'request', name: r.path && r.method !== 'ALL' ? `${r.method} ${r.path}` : r.path ?? f.name ?? 'handler' };
    if (isHandlerShaped(model, f)) return { kind: 'request', name: `handler ${f.name ?? 'handler'}` };
    const host = f.parent?.type === 'Call' ? (f.parent as ir.Call) : undefined;
    if (host && JOB_REGISTRATION.test(ir.dottedName(host.callee) ?? '') && /^(job|message|msg|task)$/i.test(f.params[0]?.name ?? '')) {
      const queue = host.args[0]?.type === 'Str' ? host.args[0].value : undefined;
      return { kind: 'job', name: f.name ?? queue ?? ir.dottedName(host.callee) ?? 'worker' };
    }
    if (f.decorators.some((d) => JOB_DECORATOR.test(ir.dottedName(ir.unwrap(d).type === 'Call' ? (ir.unwrap(d) as ir.Call).callee : d) ?? ''))) return { kind: 'job', name: f.name ?? 'task' };
  }
  const named = fns.find((f) => f.name);
  return { kind: 'function', name: named?.name ?? 'an anonymous function' };
}

const OP_ID = /^(order|invoice|cart|checkout|booking|purchase|payment|transaction|txn|reservation|subscription|refund|payout|transfer|charge)_?id$/i;
const OP_OBJECT = /^(order|invoice|cart|checkout|booking|purchase|payment|transaction|reservation|refund|payout|transfer)$/i;
/** Generators that make a new value per call: a key from them changes on every retry. */
const RANDOM = /\b(randomUUID|uuid|uuidv4|v4|uuid4|nanoid|cuid|createId|ulid|random|Date\.now|time\.time|token_hex|token_urlsafe)\s*\(/;

/**
 * A key naming this operation that stays the same when it is retried: `refund-${event.id}` in a
 * webhook, `payment-intent-${orderId}` from the ids the call or its scope carries. An id made by
 * a random generator in the same function as the call would differ per attempt and is skipped.
 */
export function stableKey(model: CodeModel, c: ir.Call, s: StripeCall): string | undefined {
  const id = eventIdText(model, c) ?? jobIdText(model, c) ?? operationIdText(model, c);
  if (!id) return undefined;
  const op = opName(s);
  if (model.lang === 'js') return `\`${op}-\${${id}}\``;
  const q = quoteOf(model);
  const inner = q === '"' ? id.replace(/"/g, "'") : id.replace(/'/g, '"');
  return `f${q}${op}-{${inner}}${q}`;
}

function eventIdText(model: CodeModel, c: ir.Call): string | undefined {
  const h = webhookHandlers(model).find((x) => ir.isInside(c, x.fn));
  if (!h) return undefined;
  let name: string | undefined;
  ir.walk(h.fn.body, (n) => {
    if (n.start > c.start) return false;
    if (n.type === 'Assign' && n.target.type === 'Ident' && n.value && isEventRoot(model, n.value)) name = n.target.name;
  });
  if (!name) return undefined;
  const q = quoteOf(model);
  return model.lang === 'js' ? `${name}.id` : `${name}[${q}id${q}]`;
}

/** A queue job keeps its id across retries (BullMQ, Bee-Queue): `job.id`. */
function jobIdText(model: CodeModel, c: ir.Call): string | undefined {
  if (model.lang !== 'js') return undefined;
  const ctx = retryContext(model, c);
  if (ctx?.kind !== 'job') return undefined;
  const f = ir.ancestors(c).find((a): a is ir.Func => a.type === 'Func' && /^job$/i.test(a.params[0]?.name ?? ''));
  return f ? `${f.params[0].name}.id` : undefined;
}

function operationIdText(model: CodeModel, c: ir.Call): string | undefined {
  const inner = ir.enclosingFunction(c);
  const stable = (n: ir.Node): boolean => {
    const root = rootIdent(n);
    if (!root) return false;
    const b = model.resolve(root);
    if (!b) return false;
    if (b.kind === 'var' && b.scope === inner && b.assigns.some((a) => a.value && RANDOM.test(model.text.slice(a.value.start, a.value.end)))) return false;
    return true;
  };
  // Ids the call's own parameters carry (`metadata: { orderId }`, `order_id=order.id`).
  let found: string | undefined;
  for (const a of c.args) {
    ir.walk(a.type === 'Keyword' ? a.value : a, (n) => {
      if (found || n.type === 'Func') return false;
      const t = idText(model, n);
      if (t && stable(n)) { found = t; return false; }
    });
    if (found) return found;
  }
  // Otherwise an id or an order-like object in scope where the call is made.
  for (const f of ir.ancestors(c).filter((x): x is ir.Func => x.type === 'Func')) {
    for (const [name, b] of model.bindings(f)) {
      if (b.kind !== 'param' && !(b.kind === 'var' && b.node.start < c.start)) continue;
      if (OP_ID.test(name) || OP_OBJECT.test(name)) {
        const ident: ir.Ident = { type: 'Ident', name, start: c.start, end: c.start, parent: c };
        if (!stable(ident)) continue;
        return OP_ID.test(name) ? name : model.lang === 'py' && isDictLike(model, b.value) ? `${name}[${quoteOf(model)}id${quoteOf(model)}]` : `${name}.id`;
      }
    }
  }
  return undefined;
}

function idText(model: CodeModel, n: ir.Node): string | undefined {
  if (n.type === 'Ident' && OP_ID.test(n.name)) return n.name;
  if (n.type === 'Member') {
    if (OP_ID.test(n.prop)) return model.text.slice(n.start, n.end);
    const o = ir.unwrap(n.object);
    if (n.prop === 'id' && o.type === 'Ident' && OP_OBJECT.test(o.name)) return model.text.slice(n.start, n.end);
  }
  return undefined;
}

function rootIdent(n: ir.Node): ir.Ident | undefined {
  let cur = ir.unwrap(n);
  while (cur.type === 'Member' || cur.type === 'Index') cur = ir.unwrap(cur.object);
  return cur.type === 'Ident' ? cur : undefined;
}

function isDictLike(model: CodeModel, v?: ir.Node): boolean {
  return !!v && (v.type === 'ObjectLit' || /json|get_json|loads/.test(model.text.slice(v.start, v.end)));
}

function opName(s: StripeCall): string {
  const r = s.resource.split('.').pop() ?? 'stripe';
  return r.replace(/_/g, '-').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase().replace(/s$/, '');
}

/** The edit that passes the key: a request-options argument in JS, `idempotency_key=` in Python. */
export function keyFix(model: CodeModel, s: StripeCall): FixResult | undefined {
  const key = stableKey(model, s.call, s);
  if (!key) return undefined;
  const c = s.call;
  const text = model.text;
  if (model.lang === 'js') {
    const [params, opts] = c.args;
    if (!params) return undefined;
    const o = opts && ir.unwrap(opts);
    if (o?.type === 'ObjectLit') {
      return { edits: [o.props.length ? { start: o.props[0].start, end: o.props[0].start, newText: `idempotencyKey: ${key}, ` } : { start: o.start, end: o.end, newText: `{ idempotencyKey: ${key} }` }] };
    }
    if (opts) return undefined;
    return { edits: [{ start: params.end, end: params.end, newText: `, { idempotencyKey: ${key} }` }] };
  }
  const q = quoteOf(model);
  const options = ir.keywordArg(c, 'options');
  if (options) {
    const o = ir.unwrap(options);
    if (o.type !== 'ObjectLit') return undefined;
    return { edits: [o.props.length ? { start: o.props[0].start, end: o.props[0].start, newText: `${q}idempotency_key${q}: ${key}, ` } : { start: o.start, end: o.end, newText: `{${q}idempotency_key${q}: ${key}}` }] };
  }
  const arg = ir.keywordArg(c, 'params') ? `options={${q}idempotency_key${q}: ${key}}` : `idempotency_key=${key}`;
  const last = c.args[c.args.length - 1];
  if (!last) return { edits: [{ start: c.end - 1, end: c.end - 1, newText: arg }] };
  const after = /^\s*,[ \t]*\n/.exec(text.slice(last.end, c.end));
  if (after) {
    const at = last.end + after[0].indexOf(',') + 1;
    return { edits: [{ start: at, end: at, newText: `\n${indentAt(text, last.start)}${arg},` }] };
  }
  return { edits: [{ start: last.end, end: last.end, newText: `, ${arg}` }] };
}

/** Whether the key fix can be written for this call (same conditions as keyFix). */
export function keyFixable(model: CodeModel, s: StripeCall): boolean {
  return keyFix(model, s) !== undefined;
}
