const express = require('express');
const Stripe = require('stripe');
const { Pool } = require('pg');
const { PrismaClient } = require('@prisma/client');
const { oncePerEvent } = require('./lib/idempotency');
const { sendReceipt } = require('./mailer');
const { redis } = require('./redis');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const pool = new Pool();
const prisma = new PrismaClient();
const app = express();

const verify = (req) => stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);

// Records event.id with insert-if-absent before acting; duplicates stop there.
app.post('/webhooks/a', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = verify(req);
  const claimed = await pool.query('INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING', [event.id]);
  if (claimed.rowCount === 0) return res.json({ received: true, duplicate: true });
  await pool.query('INSERT INTO shipments (order_id) VALUES ($1)', [event.data.object.metadata.orderId]);
  res.json({ received: true });
});

// The side effects run inside the idempotency helper.
app.post('/webhooks/b', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = verify(req);
  await oncePerEvent(pool, event.id, async () => {
    await pool.query('INSERT INTO shipments (order_id) VALUES ($1)', [event.data.object.metadata.orderId]);
    await sendReceipt(event.data.object.receipt_email);
  });
  res.json({ received: true });
});

// A lookup of the event id before acting (Prisma).
app.post('/webhooks/c', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = verify(req);
  const seen = await prisma.stripeEvent.findUnique({ where: { id: event.id } });
  if (seen) return res.sendStatus(200);
  await prisma.$transaction([
    prisma.stripeEvent.create({ data: { id: event.id } }),
    prisma.credit.create({ data: { customerId: event.data.object.customer, amount: event.data.object.amount_paid } }),
  ]);
  res.sendStatus(200);
});

// Only writes that are idempotent by themselves: absolute updates and upserts.
app.post('/webhooks/d', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = verify(req);
  const sub = event.data.object;
  switch (event.type) {
    case 'customer.subscription.updated':
      await pool.query('UPDATE subscriptions SET status = $1, current_period_end = to_timestamp($2) WHERE stripe_id = $3', [sub.status, sub.current_period_end, sub.id]);
      break;
    case 'customer.subscription.created':
      await pool.query('INSERT INTO subscriptions (stripe_id, status) VALUES ($1, $2) ON CONFLICT (stripe_id) DO UPDATE SET status = EXCLUDED.status', [sub.id, sub.status]);
      break;
    case 'customer.subscription.deleted':
      await prisma.subscription.deleteMany({ where: { stripeId: sub.id } });
      break;
  }
  res.json({ received: true });
});

// Checks the order's state before fulfilling it.
app.post('/webhooks/e', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = verify(req);
  const session = event.data.object;
  const order = await prisma.order.findUnique({ where: { checkoutSessionId: session.id } });
  if (order.status === 'paid') return res.sendStatus(200);
  await prisma.shipment.create({ data: { orderId: order.id } });
  await prisma.order.update({ where: { id: order.id }, data: { status: 'paid' } });
  res.sendStatus(200);
});

// A Redis claim on the event id (SET NX) before acting.
app.post('/webhooks/g', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = verify(req);
  const first = await redis.set(`stripe:event:${event.id}`, '1', 'NX', 'EX', 7 * 24 * 3600);
  if (!first) return res.sendStatus(200);
  await prisma.credit.create({ data: { customerId: event.data.object.customer, amount: 100 } });
  res.sendStatus(200);
});

// The unique key on the event id rejects the duplicate insert.
app.post('/webhooks/h', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = verify(req);
  try {
    await prisma.processedEvent.create({ data: { id: event.id } });
  } catch (err) {
    if (err.code === 'P2002') return res.json({ duplicate: true });
    throw err;
  }
  await prisma.shipment.create({ data: { sessionId: event.data.object.id } });
  res.sendStatus(200);
});

// A handler that only logs.
app.post('/webhooks/f', express.raw({ type: 'application/json' }), (req, res) => {
  const event = verify(req);
  console.log(`received ${event.type} ${event.id}`);
  res.sendStatus(200);
});

// Stripe create calls with a stable idempotency key.
app.post('/orders/:id/refund', async (req, res) => {
  const { rows } = await pool.query('SELECT id, payment_intent_id FROM orders WHERE id = $1', [req.params.id]);
  await stripe.refunds.create({ payment_intent: rows[0].payment_intent_id }, { idempotencyKey: `refund-${rows[0].id}` });
  res.sendStatus(204);
});

async function chargeOrder(order, requestOptions) {
  // Options built by the caller (who owns the key).
  return stripe.charges.create({ amount: order.total, currency: 'usd' }, requestOptions);
}

// A refund of the whole charge happens once: Stripe rejects a second one, so a retry cannot refund twice.
async function cancelOrder(order) {
  return stripe.refunds.create({ payment_intent: order.paymentIntentId });
}

module.exports = { app, chargeOrder, cancelOrder };
