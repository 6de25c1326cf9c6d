import jwt from 'jsonwebtoken';
import type { NextFunction, Request, Response } from 'express';

// Reads a required environment variable and throws when it is unset, so the app never runs without it.
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
}

const REFRESH_SECRET = requireEnv('REFRESH_SECRET'); // expect: hardcoded-secret
const JWT_SECRET_3 = requireEnv('JWT_SECRET_3');
const signingValue = requireEnv('JWT_SECRET_2'); // expect: hardcoded-secret
export const SESSION_SECRET = requireEnv('SESSION_SECRET'); // expect: hardcoded-secret

export function issueSessionToken(user: { id: string; email: string }) {
  return jwt.sign({ sub: user.id, email: user.email }, JWT_SECRET_3, { expiresIn: '1h' }); // expect: hardcoded-secret
}

export function issueRefreshToken(userId: string) {
  return jwt.sign({ sub: userId }, REFRESH_SECRET, { expiresIn: '30d' });
}

export function issueServiceToken(service: string) {
  return jwt.sign({ sub: service }, signingValue, { expiresIn: '5m' });
}

export function authenticate(req: Request, res: Response, next: NextFunction) {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  res.locals.user = jwt.verify(token, JWT_SECRET_3, { algorithms: ['HS256'] }); // expect: hardcoded-secret
  next();
}
