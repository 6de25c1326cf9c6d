import { NextResponse, type NextRequest } from 'next/server';
import { SignJWT, decodeJwt } from 'jose';

const secret = new TextEncoder().encode(process.env.AUTH_SECRET);

export async function issue(userId: string) {
  return new SignJWT({ sub: userId, role: 'user' }).setProtectedHeader({ alg: 'HS512' }).setExpirationTime('2h').sign(secret);
}

export async function middleware(request: NextRequest) {
  const token = request.cookies.get('session')?.value;
  if (!token) return NextResponse.redirect(new URL('/login', request.url));
  const { role } = decodeJwt(token); // expect: jwt-misuse
  if (request.nextUrl.pathname.startsWith('/admin') && role !== 'admin') return NextResponse.redirect(new URL('/', request.url));
  return NextResponse.next();
}
