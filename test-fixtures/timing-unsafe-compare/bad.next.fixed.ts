import { NextRequest, NextResponse } from 'next/server';
import * as crypto from 'crypto';

// A cron endpoint guarded by a bearer secret, compared as a string.
export async function GET(request: NextRequest) {
  const authorization = request.headers.get('authorization');
  if (!timingSafeEqualStrings(authorization, `Bearer ${process.env.CRON_SECRET}`)) { // expect: timing-unsafe-compare
    return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  }
  return NextResponse.json({ ok: true });
}

// Koa-style middleware comparing the CSRF token of the form with the session's.
export async function csrfGuard(ctx: { request: { body: { _csrf?: string } }; session: { csrfToken: string }; throw(status: number): never }, next: () => Promise<void>) {
  if (!timingSafeEqualStrings(ctx.request.body._csrf, ctx.session.csrfToken)) ctx.throw(403); // expect: timing-unsafe-compare
  await next();
}

/**
 * Compares two strings in constant time. crypto.timingSafeEqual throws on inputs of different
 * lengths, so the lengths are checked first; values that are not strings compare as before.
 */
function timingSafeEqualStrings(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return a === b;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
