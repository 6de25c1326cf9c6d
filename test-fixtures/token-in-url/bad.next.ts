import { NextResponse, type NextRequest } from 'next/server';
import { SignJWT } from 'jose';

const secret = new TextEncoder().encode(process.env.JWT_SECRET);

export async function GET(request: NextRequest) {
  const user = await completeLogin(request.nextUrl.searchParams.get('code'));
  const token = await new SignJWT({ sub: user.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(secret);
  return NextResponse.redirect(new URL(`/app?token=${token}`, request.url)); // expect: token-in-url
}
