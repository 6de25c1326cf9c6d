import express from 'express';
import knex from 'knex';
import Stripe from 'stripe';
import { oncePerEvent } from './lib/idempotency.js';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
export const app = express();

// Knex: the ledger gets one credit row per delivery.
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  await oncePerEvent(db, event.id, async () => {
    if (event.type === 'payment_intent.succeeded') {
      const intent = event.data.object;
      await db('ledger').insert({ account_id: intent.metadata.accountId, amount: intent.amount });
    }
  });
  res.json({ received: true });
});
