import { prisma } from '@/lib/prisma';

// Credits bought through Stripe Checkout; the webhook route hands each completed session here.
export async function handleCheckoutCompleted(session: { id: string; client_reference_id: string | null; amount_total: number | null }) {
  await prisma.creditGrant.create({ data: { userId: session.client_reference_id!, amount: session.amount_total ?? 0, checkoutId: session.id } });
}
