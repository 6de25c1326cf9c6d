import { NextResponse } from 'next/server';
import Stripe from 'stripe';
import { handleCheckoutCompleted } from './modules/credits';
import { oncePerEvent } from './lib/idempotency';
import { prisma } from '@/lib/prisma';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

// The side effect runs in another module that writes through its own Prisma client: the guard
// imports the same client.
export async function POST(request: Request) { // expect: webhook-not-idempotent
  const body = await request.text();
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, request.headers.get('stripe-signature') ?? '', process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return NextResponse.json({ error: 'bad signature' }, { status: 400 });
  }
  await oncePerEvent(prisma, event.id, async () => {
    if (event.type === 'checkout.session.completed') {
      await handleCheckoutCompleted(event.data.object);
    }
  });
  return NextResponse.json({ received: true });
}
