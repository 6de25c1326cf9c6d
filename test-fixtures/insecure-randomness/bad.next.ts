import { NextResponse } from 'next/server';
import { db } from '@/lib/db';

// A magic-link sign-in: the link token and the session id come from Math.random.
export async function POST(request: Request) {
  const { email } = await request.json();
  const magicToken = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join(''); // expect: insecure-randomness
  await db.magicLink.create({ data: { email, token: magicToken } });
  const response = NextResponse.json({ sent: true });
  response.cookies.set('session_id', Math.random().toString(36).substring(2, 14), { httpOnly: true, secure: true, sameSite: 'lax' }); // expect: insecure-randomness
  return response;
}
