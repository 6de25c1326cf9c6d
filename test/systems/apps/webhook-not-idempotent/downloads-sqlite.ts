// An Express app on better-sqlite3 (TypeScript): each completed checkout grants a download.
import express from 'express';
import Database from 'better-sqlite3';
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const db: Database.Database = new Database(process.env.DB_FILE!);
export const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${(err as Error).message}`);
  }
  if (event.type === 'checkout.session.completed') {
    const session = event.data.object;
    db.prepare('INSERT INTO downloads (email, product) VALUES (?, ?)').run(session.customer_email, session.metadata?.product);
  }
  res.json({ received: true });
});
