// app/api/stripe/route.ts in a Next.js app: the event is taken from the JSON body as sent.
import { NextResponse } from 'next/server';
import { prisma } from '@/lib/prisma';
import { stripe } from '@/lib/stripe';

export async function POST(req: Request) { // expect: webhook-unverified, webhook-not-idempotent
  const event = await req.json();
  if (event.type === 'customer.subscription.created') {
    await prisma.subscription.create({ data: { stripeId: event.data.object.id, status: 'active' } });
  }
  return NextResponse.json({ received: true });
}
