// app/api/stripe/route.ts in a Next.js app: the event is taken from the JSON body as sent.
import { NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';
import { stripe } from '@/lib/stripe';
import type Stripe from 'stripe';

export async function POST(req: Request) { // expect: webhook-unverified, webhook-not-idempotent
  const payload = await req.text();
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(payload, req.headers.get('stripe-signature') ?? '', process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err) {
    return NextResponse.json({ error: `Webhook Error: ${(err as Error).message}` }, { status: 400 });
  }
  if (event.type === 'customer.subscription.created') {
    await prisma.subscription.create({ data: { stripeId: event.data.object.id, status: 'active' } });
  }
  return NextResponse.json({ received: true });
}
