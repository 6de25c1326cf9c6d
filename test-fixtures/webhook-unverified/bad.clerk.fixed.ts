import { NextResponse } from 'next/server';
import { syncUser } from '@/lib/users';
import { Webhook } from 'svix';

// Clerk sends Svix-signed events; this route takes any body as a user.created event.
export async function POST(req: Request) { // expect: webhook-unverified
  const payload = await req.text();
  let evt;
  try {
    evt = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(payload, Object.fromEntries(req.headers) as Record<string, string>);
  } catch (err) {
    return NextResponse.json({ error: `Webhook Error: ${(err as Error).message}` }, { status: 400 });
  }
  console.log('clerk delivery', req.headers.get('svix-id'));
  if (evt.type === 'user.created') {
    await syncUser(evt.data.id, evt.data.email_addresses[0].email_address);
  }
  return NextResponse.json({ ok: true });
}
