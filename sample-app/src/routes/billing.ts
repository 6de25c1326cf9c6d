import { randomUUID } from 'node:crypto';
import express from 'express';
import Stripe from 'stripe';
import { z } from 'zod';

import { pool } from '../db';
import { requireAuth } from '../middleware/requireAuth';

const stripe = new Stripe('sk_test_515CwUMy2FxRuQVfFj8uFA3BC3yBZHCJtP9eEmM2AvqHEA1D9nXKHbgW8jbUW19cCEebnjKYSBQCXnOSEhb3x5ouPmGBv8HM0rn', {
  apiVersion: '2024-06-20',
});

export const billingRouter = express.Router();
export const stripeWebhookRouter = express.Router();

const checkoutSchema = z.object({
  productId: z.string().uuid(),
  quantity: z.number().int().min(1).max(10),
});

// Stripe sometimes answers with a 5xx or the connection drops; retry a few times with backoff
// so a temporary blip does not fail the checkout.
async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

// POST /api/checkout { productId, quantity } -> { orderId, clientSecret }
billingRouter.post('/checkout', requireAuth, async (req, res) => {
  const parsed = checkoutSchema.safeParse(req.body);
  if (!parsed.success) {
    return res.status(400).json({ error: parsed.error.flatten() });
  }
  const { productId, quantity } = parsed.data;

  const { rows } = await pool.query('SELECT id, name, price_cents FROM products WHERE id = $1 AND active = true', [productId]);
  const product = rows[0];
  if (!product) {
    return res.status(404).json({ error: 'Product not found' });
  }

  const orderId = randomUUID();
  const amount = product.price_cents * quantity;

  const paymentIntent = await withRetry(() =>
    stripe.paymentIntents.create({
      amount,
      currency: 'usd',
      metadata: { orderId, userId: String(req.user.id) },
    }),
  );

  await pool.query(
    'INSERT INTO orders (id, user_id, product_id, quantity, total_cents, status, payment_intent_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [orderId, req.user.id, product.id, quantity, amount, 'pending', paymentIntent.id],
  );

  res.json({ orderId, clientSecret: paymentIntent.client_secret });
});

// POST /api/orders/:id/cancel: refund a paid order that has not shipped yet.
billingRouter.post('/orders/:id/cancel', requireAuth, async (req, res) => {
  const { rows } = await pool.query(
    "SELECT id, payment_intent_id FROM orders WHERE id = $1 AND user_id = $2 AND status = 'paid'",
    [req.params.id, req.user.id],
  );
  const order = rows[0];
  if (!order) {
    return res.status(404).json({ error: 'No refundable order found' });
  }

  // The idempotency key makes a double click or a retried request refund only once.
  await stripe.refunds.create({ payment_intent: order.payment_intent_id }, { idempotencyKey: `refund-${order.id}` });
  await pool.query("UPDATE orders SET status = 'refunded' WHERE id = $1", [order.id]);

  res.json({ status: 'refunded' });
});

// Stripe calls this when a payment succeeds or fails. express.raw keeps the body as a Buffer.
stripeWebhookRouter.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    return res.status(400).send('Invalid payload');
  }

  switch (event.type) {
    case 'payment_intent.succeeded': {
      const orderId = event.data.object.metadata.orderId;
      // Mark the order paid, create the shipment and queue the receipt email.
      await pool.query("UPDATE orders SET status = 'paid', paid_at = now() WHERE id = $1", [orderId]);
      await pool.query("INSERT INTO shipments (order_id, status) VALUES ($1, 'pending')", [orderId]);
      await pool.query("INSERT INTO email_outbox (order_id, template) VALUES ($1, 'receipt')", [orderId]);
      break;
    }
    case 'payment_intent.payment_failed':
      await pool.query("UPDATE orders SET status = 'failed' WHERE payment_intent_id = $1", [event.data.object.id]);
      break;
    default:
      console.log(`Unhandled Stripe event type ${event.type}`);
  }

  res.json({ received: true });
});

// Stripe Connect sends seller account events to a separate endpoint with its own signing secret.
stripeWebhookRouter.post('/webhooks/stripe-connect', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_CONNECT_WEBHOOK_SECRET!);
  } catch (err) {
    return res.status(400).send(`Webhook signature verification failed: ${(err as Error).message}`);
  }

  // Stripe may deliver the same event more than once; only the first delivery gets processed.
  const inserted = await pool.query('INSERT INTO processed_stripe_events (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [event.id]);
  if (inserted.rowCount === 0) {
    return res.json({ received: true, duplicate: true });
  }

  if (event.type === 'account.updated') {
    const account = event.data.object as Stripe.Account;
    await pool.query('UPDATE sellers SET payouts_enabled = $1 WHERE stripe_account_id = $2', [account.payouts_enabled, account.id]);
  } else {
    console.log(`Ignoring Connect event ${event.type}`);
  }

  res.json({ received: true });
});
