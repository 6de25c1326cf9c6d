import express from 'express';
import Database from 'better-sqlite3';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const db = new Database('shop.db');
export const app = express();

// better-sqlite3: a second delivery inserts a second download grant.
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === 'checkout.session.completed') {
    const session = event.data.object;
    db.prepare('INSERT INTO downloads (email, product) VALUES (?, ?)').run(session.customer_email, session.metadata?.product);
  }
  res.json({ received: true });
});
