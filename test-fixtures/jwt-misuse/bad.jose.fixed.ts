import { SignJWT, decodeJwt, jwtVerify } from 'jose';
import type { NextRequest } from 'next/server';

const key = new TextEncoder().encode(process.env.AUTH_KEY);

export async function createSessionToken(userId: string) {
  return new SignJWT({ sub: userId }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(key); // expect: jwt-misuse
}

export async function GET(request: NextRequest) {
  const token = request.cookies.get('session')?.value ?? '';
  const claims = (await jwtVerify(token, key, { algorithms: ['HS256'] })).payload; // expect: jwt-misuse
  return Response.json({ user: claims.sub });
}

export async function getSessionUser(token: string) {
  const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] }); // expect: jwt-misuse
  return payload.sub;
}
