import express, { type Request, type Response } from 'express';
import Stripe from 'stripe';
import { grantCredits } from '../services/credits';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY as string);
export const webhooks = express.Router();

async function handleStripeWebhook(req: Request, res: Response) { // expect: webhook-unverified, webhook-not-idempotent
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${(err as Error).message}`);
  }
  if (event.type === 'checkout.session.completed') {
    const session = event.data.object as Stripe.Checkout.Session;
    await grantCredits(session.client_reference_id!, session.amount_total ?? 0);
  }
  res.json({ received: true });
}

webhooks.post('/stripe', express.raw({ type: 'application/json' }), handleStripeWebhook);
