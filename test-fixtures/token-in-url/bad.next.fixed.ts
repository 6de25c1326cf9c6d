import { NextResponse, type NextRequest } from 'next/server';
import { SignJWT } from 'jose';

const secret = new TextEncoder().encode(process.env.JWT_SECRET);

export async function GET(request: NextRequest) {
  const user = await completeLogin(request.nextUrl.searchParams.get('code'));
  const token = await new SignJWT({ sub: user.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(secret);
  const response = NextResponse.redirect(new URL('/app', request.url));
  response.cookies.set('token', token, { httpOnly: true, secure: true, sameSite: 'lax' });
  return response; // expect: token-in-url
}
