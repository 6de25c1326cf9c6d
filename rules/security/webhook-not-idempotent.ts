import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { effectsOf, isDbRead, isInMemory, type Effect } from '../kit/frameworks/effects';
import { stripeCall, type StripeCall } from '../kit/frameworks/stripe';
import { taintOf } from '../kit/frameworks/taint';
import { webhookHandlers, type WebhookHandler } from '../kit/frameworks/webhooks';
import { isEventRoot, mentionsEventId } from '../kit/frameworks/webhook-event';
import { planGuard, produceGuard } from './webhook-not-idempotent.fix';
import { planPyGuard, producePyGuard } from './webhook-not-idempotent.fix-py';
import { keyFix, keyFixable, retryContext, stableKey } from './webhook-not-idempotent.key';

const messages = {
  handler: 'webhook handler {handler} runs {effect} without deduplicating on the event id: {provider} redelivers events, so a retry runs it twice',
  manualRedelivery: 'webhook handler {handler} runs {effect} without deduplicating on the delivery id (X-GitHub-Delivery): GitHub retries nothing by itself, but a delivery redelivered from the webhook settings or by a redelivery script runs it again',
  retry: '{call} runs inside {context} without an {option}: an attempt retried after a timeout creates a second {object}',
  webhook: '{call} in webhook handler {context} has no {option}: a redelivered event creates a second {object}',
  request: '{call} in {context} has no {option}: a retried request creates a second {object}',
  job: '{call} in job {context} has no {option}: a retried job creates a second {object}',
  function: '{call} in {context} has no {option}: when a caller retries, a second {object} is created',
};

/** Names of helpers that deduplicate deliveries (`oncePerEvent`, `markEventProcessed`, `isDuplicate`). */
const DEDUP_NAME = /idempot|dedup|once|already|processed|duplicate|seen|claim|setnx|acquire/i;

export default defineRule({
  id: 'webhook-not-idempotent',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 837,
  securitySeverity: 5.3,
  triggers: /hook|signature|svix|x-github|type|event|action|topic|stripe|Stripe/,
  docs: {
    summary: 'A webhook handler has side effects without deduplicating on the event id, or a retried Stripe create call has no idempotency key',
    why: 'Providers deliver at least once: Stripe retries a webhook when the response is slow or fails, and may deliver the same event twice at the same moment. A handler that inserts the shipment, sends the receipt or creates a charge on every delivery does it twice, and the customer is charged twice. The same happens when a Stripe create call is retried (a retry wrapper, a queue job, a client retrying a request) without an idempotency key: Stripe cannot tell the retry from a new charge.',
    fix: 'Wrap handler in idempotency guard: the statements with side effects run inside a guard keyed by the event id (the delivery-id header for GitHub and Svix) that claims the id atomically, skips duplicates, and releases the claim when the side effects throw so the provider\'s retry runs them again. JS/TS: `await oncePerEvent(db, event.id, async () => { ... })` with `db` the handle the handler writes through: a node-postgres pool or transaction client (`INSERT ... ON CONFLICT DO NOTHING`), a mysql2/promise pool (`INSERT IGNORE`), a better-sqlite3 database (`INSERT OR IGNORE`), a Knex instance or transaction (a primary-key insert in its own transaction or savepoint, duplicate-key errors caught), a Prisma client (`processedEvent.create`, P2002 caught; the `ProcessedEvent` model is appended to schema.prisma, with a migration when `prisma/migrations` exists; when the side effects run in another module, the client that module imports is imported too, and in a Wasp app `prisma` from `wasp/server`), a TypeORM `DataSource` (a NestJS controller whose injected service writes through TypeORM gets `private readonly dataSource: DataSource` in its constructor; `ON CONFLICT DO NOTHING` on PostgreSQL, `INSERT IGNORE` on MySQL/MariaDB); mongoose needs no handle: `oncePerEvent(event.id, ...)` with a unique index on a `processed_events` collection (duplicate-key error 11000 caught). The helper module (`lib/idempotency.ts`/`.js`, `src/lib/` for code under `src/`) is generated for that data layer when the workspace has none and reused when it has one taking a handle (for that layer), an event id and a callback. Python (Flask, FastAPI, Django): `with once_per_event(db, event["id"]) as first_delivery:` / `if first_delivery:` around the side effects, with `db` the psycopg/psycopg2 connection (`ON CONFLICT DO NOTHING` on PostgreSQL) or the SQLAlchemy session (`db.session`, a `Session` dependency; primary key + IntegrityError) the handler writes through, from a generated `idempotency.py` beside the handler; for the Django ORM `with once_per_event(event["id"])` uses `get_or_create` on a `ProcessedEvent` model with a unique `event_id`, appended to the app\'s models.py with a migration in its migrations folder. Handlers whose writes go through another layer (Sequelize, Supabase, Drizzle, async drivers), that have no handle in scope, or whose side-effect statements cannot move into a callback, get no fix and say why. Stripe create calls that move money (charges, payment intents, partial refunds, transfers, payouts, subscriptions; a refund of the whole payment can only happen once, so it needs no key) get an `idempotencyKey` (`idempotency_key=` in Python) derived from the operation (`payment-intent-${orderId}`, `refund-${event.id}`, `refund-${job.id}`); when no stable id is in scope there is no fix, since a random key per call defeats the purpose. Unsafe: duplicate deliveries stop running the side effects, the guard needs its table (created on first use, or by the migration or model the fix adds), side effects that partly ran before a failure run again on the retry unless they share the transaction, and a process that dies mid-way leaves the event claimed (it is not re-run).',
    examples: {
      js: {
        bad: "const Stripe = require('stripe');\nconst { pool } = require('./db');\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY);\napp.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {\n  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);\n  if (event.type === 'checkout.session.completed') {\n    await pool.query('INSERT INTO shipments (order_id) VALUES ($1)', [event.data.object.metadata.orderId]);\n  }\n  res.json({ received: true });\n});\n",
        good: "const Stripe = require('stripe');\nconst { pool } = require('./db');\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY);\napp.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {\n  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);\n  const claimed = await pool.query('INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [event.id]);\n  if (claimed.rowCount === 0) return res.json({ received: true });\n  if (event.type === 'checkout.session.completed') {\n    await pool.query('INSERT INTO shipments (order_id) VALUES ($1)', [event.data.object.metadata.orderId]);\n  }\n  res.json({ received: true });\n});\n",
      },
      py: {
        bad: "import stripe\n\ndef refund_item(order, item):\n    return stripe.Refund.create(payment_intent=order.payment_intent_id, amount=item.price_cents)\n",
        good: "import stripe\n\ndef refund_item(order, item):\n    return stripe.Refund.create(payment_intent=order.payment_intent_id, amount=item.price_cents, idempotency_key=f\"refund-{item.id}\")\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      'Program:exit'() {
        for (const h of webhookHandlers(model)) {
          const risky = effectsOf(model, h.fn).filter((e) => !e.idempotent).sort((a, b) => a.node.start - b.node.start);
          if (!risky.length || deduplicated(model, h, risky[0])) continue;
          // GitHub retries nothing by itself: a duplicate comes only from a redelivery someone starts,
          // usually because they want the handler to run again. Worth knowing, not a defect.
          const manual = h.provider === 'github';
          report({
            ...h.head,
            message: format(manual ? messages.manualRedelivery : messages.handler, { handler: h.label, effect: risky[0].label, provider: providerName(h) }),
            severity: manual ? 'info' : undefined,
            data: { kind: 'guard', fn: h.fn.start },
            noFix: guardNoFix(model, h, risky),
          });
        }
        for (const c of model.calls) {
          const s = stripeCall(model, c);
          if (!s?.moneyCreate || s.hasIdempotencyKey) continue;
          const ctx = retryContext(model, c);
          if (!ctx) continue;
          const key = stableKey(model, c, s);
          const message = format(messages[ctx.kind], { call: s.name, context: ctx.name, option: model.lang === 'py' ? 'idempotency_key' : 'idempotencyKey', object: objectName(s) });
          report({
            start: c.callee.start,
            end: c.callee.end,
            message,
            data: { kind: 'key', call: c.start },
            noFix: !key ? 'no order or event id is in scope to derive a stable key from, and a random key per call would defeat the purpose: pass one derived from your own order or request id' : !keyFixable(model, s) && 'the call\'s options argument is not an object literal the key can be added to',
          });
        }
      },
    };
  },
  fix: {
    title: (f) => (f.data?.kind === 'key' ? 'Add idempotency key' : 'Wrap handler in idempotency guard'),
    safety: 'unsafe',
    produce(finding, ctx) {
      if (finding.data?.kind === 'key') {
        const c = ctx.model.calls.find((x) => x.start === finding.data?.call);
        const s = c && stripeCall(ctx.model, c);
        return s ? keyFix(ctx.model, s) : undefined;
      }
      const h = webhookHandlers(ctx.model).find((x) => x.fn.start === finding.data?.fn);
      if (!h) return undefined;
      const risky = effectsOf(ctx.model, h.fn).filter((e) => !e.idempotent).sort((a, b) => a.node.start - b.node.start);
      return ctx.model.lang === 'py' ? producePyGuard(ctx, h, risky) : produceGuard(ctx, h, risky);
    },
  },
});

/** Why the guard cannot be written for this handler, or false when it can. */
function guardNoFix(model: CodeModel, h: WebhookHandler, risky: Effect[]): string | false {
  const plan = model.lang === 'py' ? planPyGuard(model, h, risky) : planGuard(model, h, risky);
  return 'reason' in plan ? plan.reason : false;
}

function providerName(h: WebhookHandler): string {
  return h.provider === 'stripe' ? 'Stripe' : h.provider === 'github' ? 'GitHub' : h.provider === 'svix' ? 'Svix' : 'the provider';
}

function objectName(s: StripeCall): string {
  const r = s.resource.split('.').pop() ?? '';
  const words = r.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/s$/, '');
  return words === 'topup' ? 'top-up' : words;
}

/**
 * The handler deduplicates before its first non-idempotent effect: a call handed the event id
 * (a lookup or an insert-if-absent of `event.id`, a unique-key insert, `redis.set(id, NX)`), a
 * helper named for it (`oncePerEvent`, `alreadyProcessed`), or an early return guarded by a
 * database lookup of the payload (`if (order.status === 'paid') return`).
 */
function deduplicated(model: CodeModel, h: WebhookHandler, first: Effect): boolean {
  const limit = first.node.start;
  let found = false;
  ir.walk(h.fn.body, (n) => {
    if (found || n.start > limit) return false;
    if (n.type === 'Call' && isDedupCall(model, n)) { found = true; return false; }
    if (n.type === 'If' && n.start < limit && guardsOnLookup(model, n)) { found = true; return false; }
  });
  return found;
}

function isDedupCall(model: CodeModel, c: ir.Call): boolean {
  const name = ir.dottedName(c.callee) ?? '';
  const last = ir.calleeName(c) ?? '';
  if (/^(console|logger|log|logging|print|res|reply|response)\b/.test(name) || stripeCall(model, c)) return false;
  const recv = ir.receiver(c);
  if (recv && isInMemory(model, recv)) return false;
  // `emitter.once('event', fn)` subscribes to an event; it deduplicates nothing.
  if (last === 'once' && c.args[0]?.type === 'Str') return false;
  if (DEDUP_NAME.test(last)) return true;
  return c.args.some((a) => mentionsEventId(model, a.type === 'Keyword' ? a.value : a));
}

/**
 * `if (<state read from the database about this payload>) return ...`: an order already paid, a
 * record that exists, a claim that inserted no row. A negated lookup (`if (!order) return 404`)
 * validates input instead and does not count.
 */
function guardsOnLookup(model: CodeModel, n: ir.If): boolean {
  const exits = !!ir.find(n.then, (x) => x.type === 'Return' || x.type === 'Throw' || (x.type === 'Other' && x.kind === 'continue'));
  if (!exits) return false;
  const test = ir.unwrap(n.test);
  const stateCheck = /status|state|paid|fulfil|processed|handled|complete|shipped|delivered|exist|already|duplicate|row_?count|affectedRows|changes/i.test(model.text.slice(test.start, test.end));
  if (!stateCheck && test.type !== 'Ident' && test.type !== 'Member') return false;
  let lookup = false;
  ir.walk(n.test, (x) => {
    if (lookup) return false;
    if (x.type === 'Call' && isPayloadLookup(model, x)) { lookup = true; return false; }
    if (x.type === 'Ident') {
      const b = model.resolve(x);
      const v = b?.kind === 'var' ? b.value : undefined;
      if (v && ir.find(v, (y) => y.type === 'Call' && isPayloadLookup(model, y))) lookup = true;
    }
  });
  return lookup;
}

function isPayloadLookup(model: CodeModel, c: ir.Call): boolean {
  if (!isDbRead(model, c)) return false;
  return c.args.some((a) => {
    const v = a.type === 'Keyword' ? a.value : a;
    return taintOf(model, v) === 'request' || isEventRoot(model, v);
  });
}
