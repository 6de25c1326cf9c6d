import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';

export async function POST(request: Request) {
  const { email, password } = await request.json();
  const sessionToken = await createSession(email, password);
  (await cookies()).set('session', sessionToken, { httpOnly: true }); // expect: insecure-token-storage
  const response = NextResponse.json({ ok: true });
  response.cookies.set({ name: 'refresh_token', value: await refreshFor(email), path: '/' }); // expect: insecure-token-storage
  return response;
}
