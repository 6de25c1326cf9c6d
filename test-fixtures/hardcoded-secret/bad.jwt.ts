import jwt from 'jsonwebtoken';
import type { NextFunction, Request, Response } from 'express';

const REFRESH_SECRET = process.env.REFRESH_SECRET || 'dev-refresh-secret'; // expect: hardcoded-secret
const signingValue = 'k9Xv2Lq8Rz4Tm7Wp'; // expect: hardcoded-secret
export const SESSION_SECRET = process.env.SESSION_SECRET ?? 'changeme'; // expect: hardcoded-secret

export function issueSessionToken(user: { id: string; email: string }) {
  return jwt.sign({ sub: user.id, email: user.email }, 'my-secret-key', { expiresIn: '1h' }); // expect: hardcoded-secret
}

export function issueRefreshToken(userId: string) {
  return jwt.sign({ sub: userId }, REFRESH_SECRET, { expiresIn: '30d' });
}

export function issueServiceToken(service: string) {
  return jwt.sign({ sub: service }, signingValue, { expiresIn: '5m' });
}

export function authenticate(req: Request, res: Response, next: NextFunction) {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  res.locals.user = jwt.verify(token, 'my-secret-key', { algorithms: ['HS256'] }); // expect: hardcoded-secret
  next();
}
