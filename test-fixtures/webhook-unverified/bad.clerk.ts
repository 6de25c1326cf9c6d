import { NextResponse } from 'next/server';
import { syncUser } from '@/lib/users';

// Clerk sends Svix-signed events; this route takes any body as a user.created event.
export async function POST(req: Request) { // expect: webhook-unverified
  const evt = await req.json();
  console.log('clerk delivery', req.headers.get('svix-id'));
  if (evt.type === 'user.created') {
    await syncUser(evt.data.id, evt.data.email_addresses[0].email_address);
  }
  return NextResponse.json({ ok: true });
}
