import express, { type Request, type Response } from 'express';
import Stripe from 'stripe';
import { grantCredits } from '../services/credits';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY as string);
export const webhooks = express.Router();

async function handleStripeWebhook(req: Request, res: Response) { // expect: webhook-unverified, webhook-not-idempotent
  const event = req.body as Stripe.Event;
  if (event.type === 'checkout.session.completed') {
    const session = event.data.object as Stripe.Checkout.Session;
    await grantCredits(session.client_reference_id!, session.amount_total ?? 0);
  }
  res.json({ received: true });
}

webhooks.post('/stripe', handleStripeWebhook);
