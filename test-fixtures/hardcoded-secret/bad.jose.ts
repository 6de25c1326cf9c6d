import { SignJWT, jwtVerify, importJWK } from 'jose';
import { createHmac } from 'node:crypto';

const encoder = new TextEncoder();
const secret = encoder.encode('cc7e0d44fd473002f1c42167459001140ec6389b7353f8088f4d9a95f2f596f2'); // expect: hardcoded-secret

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
  return importJWK({ kty: 'oct', k: 'hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg' }, 'HS256'); // expect: hardcoded-secret
}

export class WebhookSigner {
  private readonly signingKey = 'whk-93b1f0c2d8e4a7'; // expect: hardcoded-secret

  sign(body: string) {
    return createHmac('sha256', this.signingKey).update(body).digest('hex');
  }
}

export function checksum(body: string, key = 'ck-5d2e8a1f9c3b7e40') { // expect: hardcoded-secret
  return createHmac('sha256', key).update(body).digest('hex');
}
