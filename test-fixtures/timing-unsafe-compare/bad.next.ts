import { NextRequest, NextResponse } from 'next/server';

// A cron endpoint guarded by a bearer secret, compared as a string.
export async function GET(request: NextRequest) {
  const authorization = request.headers.get('authorization');
  if (authorization !== `Bearer ${process.env.CRON_SECRET}`) { // expect: timing-unsafe-compare
    return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  }
  return NextResponse.json({ ok: true });
}

// Koa-style middleware comparing the CSRF token of the form with the session's.
export async function csrfGuard(ctx: { request: { body: { _csrf?: string } }; session: { csrfToken: string }; throw(status: number): never }, next: () => Promise<void>) {
  if (ctx.request.body._csrf != ctx.session.csrfToken) ctx.throw(403); // expect: timing-unsafe-compare
  await next();
}
