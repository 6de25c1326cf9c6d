import { NextResponse } from 'next/server';
import { db } from '@/lib/db';
import * as crypto from 'crypto';

// A magic-link sign-in: the link token and the session id come from Math.random.
export async function POST(request: Request) {
  const { email } = await request.json();
  const magicToken = Array.from({ length: 32 }, () => crypto.randomInt(16).toString(16)).join(''); // expect: insecure-randomness
  await db.magicLink.create({ data: { email, token: magicToken } });
  const response = NextResponse.json({ sent: true });
  response.cookies.set('session_id', crypto.randomBytes(6).toString('hex'), { httpOnly: true, secure: true, sameSite: 'lax' }); // expect: insecure-randomness
  return response;
}
