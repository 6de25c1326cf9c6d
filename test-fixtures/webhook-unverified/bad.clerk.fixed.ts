import { NextResponse } from 'next/server';
import { syncUser } from '@/lib/users';
import { Webhook } from 'svix';

/**
 * Svix (Clerk, Resend) signs each delivery over its id, timestamp and raw body; Webhook.verify
 * throws when the signature or the timestamp is wrong. Returns the parsed event.
 */
function verifySvixEvent(rawBody: Buffer | string, headers: Record<string, string>, secret: string) {
  new Webhook(secret).verify(rawBody.toString(), headers);
  return JSON.parse(rawBody.toString());
}

// Clerk sends Svix-signed events; this route takes any body as a user.created event.
export async function POST(req: Request) { // expect: webhook-unverified
  const payload = await req.text();
  let evt;
  try {
    evt = verifySvixEvent(payload, Object.fromEntries(req.headers) as Record<string, string>, process.env.CLERK_WEBHOOK_SECRET!);
  } catch (err) {
    return NextResponse.json({ error: `Webhook Error: ${(err as Error).message}` }, { status: 400 });
  }
  console.log('clerk delivery', req.headers.get('svix-id'));
  if (evt.type === 'user.created') {
    await syncUser(evt.data.id, evt.data.email_addresses[0].email_address);
  }
  return NextResponse.json({ ok: true });
}
