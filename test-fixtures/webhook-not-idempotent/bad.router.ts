import express from 'express';
import Stripe from 'stripe';
import { Pool } from 'pg';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
export const router = express.Router();

router.post('/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${(err as Error).message}`);
  }

  try {
    switch (event.type) {
      case 'invoice.paid': {
        const invoice = event.data.object as Stripe.Invoice;
        await pool.query(
          `UPDATE accounts
             SET credits = credits + $1
           WHERE stripe_customer_id = $2`,
          [invoice.amount_paid, invoice.customer],
        );
        break;
      }
      default:
        break;
    }
  } catch (err) {
    console.error('webhook failed', err);
    return res.status(500).json({ error: 'processing failed' });
  }
  res.json({ received: true });
});
