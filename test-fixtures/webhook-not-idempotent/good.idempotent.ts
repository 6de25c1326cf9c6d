import express from 'express';
import Stripe from 'stripe';
import { db } from './modules/db';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const app = express();

function sendError(res: express.Response, status: number, message: string) {
  return res.status(status).json({ error: message });
}

// Writes that leave the same state however often the event comes: status from the event, an
// upsert keyed on the Stripe id. Errors go to the response through a helper.
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return sendError(res, 400, 'bad signature');
  }
  if (event.type === 'customer.subscription.updated') {
    const sub = event.data.object as Stripe.Subscription;
    await db.subscription.update({ where: { stripeId: sub.id }, data: { status: sub.status } });
  } else if (event.type === 'customer.created') {
    const customer = event.data.object as Stripe.Customer;
    await db.customer.upsert({ where: { stripeId: customer.id }, create: { stripeId: customer.id, email: customer.email }, update: { email: customer.email } });
  } else {
    console.log('unhandled', event.type);
  }
  res.json({ received: true });
});

export default app;
