import { SignJWT, jwtVerify, importJWK } from 'jose';
import { createHmac } from 'node:crypto';

// Reads a required environment variable and throws when it is unset, so the app never runs without it.
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

const JWT_SECRET_3 = requireEnv('JWT_SECRET_3');
const SIGNING_KEY = requireEnv('SIGNING_KEY');
const HMAC_SECRET = requireEnv('HMAC_SECRET');

const encoder = new TextEncoder();
const secret = encoder.encode(requireEnv('JWT_SECRET_2')); // expect: hardcoded-secret

export async function createSession(userId: string) {
  return new SignJWT({ sub: userId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(secret);
}

export async function readSession(token: string) {
  const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
  return payload;
}

export async function partnerKey() {
  return importJWK({ kty: 'oct', k: JWT_SECRET_3 }, 'HS256'); // expect: hardcoded-secret
}

export class WebhookSigner {
  private readonly signingKey = SIGNING_KEY; // expect: hardcoded-secret

  sign(body: string) {
    return createHmac('sha256', this.signingKey).update(body).digest('hex');
  }
}

export function checksum(body: string, key = HMAC_SECRET) { // expect: hardcoded-secret
  return createHmac('sha256', key).update(body).digest('hex');
}
