import { type PaymentsWebhook } from 'wasp/server/api';
import type express from 'express';
import type Stripe from 'stripe';
import { stripe } from './modules/stripe-client';
import { oncePerEvent } from './lib/idempotency';
import { prisma } from 'wasp/server';

// Wasp passes Prisma delegates in context.entities; the guard claims through wasp/server's prisma.
export const paymentsWebhook: PaymentsWebhook = async (request, response, context) => { // expect: webhook-not-idempotent
  const event = constructStripeEvent(request);
  await oncePerEvent(prisma, event.id, async () => {
    if (event.type === 'invoice.paid') {
      await context.entities.User.update({ where: { stripeCustomerId: event.data.object.customer as string }, data: { credits: { increment: 10 } } });
    }
  });
  return response.json({ received: true });
};

function constructStripeEvent(request: express.Request): Stripe.Event {
  return stripe.webhooks.constructEvent(request.body, request.headers['stripe-signature'] as string, process.env.STRIPE_WEBHOOK_SECRET!);
}
