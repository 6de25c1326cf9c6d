/**
 * Proves the missing-auth quick fix ("Add auth middleware") over real HTTP, on Express, FastAPI
 * (uvicorn) and Flask: before the fix an anonymous POST to the refunds route is served (200); after it the
 * route answers 401 to the anonymous caller and still 200 to a caller with the app's bearer
 * token, and the route that was guarded all along answers the same on both sides.
 */
import { randomBytes } from 'node:crypto';
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, type FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'missing-auth';
const APPS = 'test/systems/apps/missing-auth';

interface Seen { anon: number; authed: number; ordersAnon: number; ordersAuthed: number }

/** Serves both sides, sends the refund anonymously and with the token, and records the verdict. */
async function prove(label: string, fixed: FixedSource, token: string, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
  try {
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    const seen = {} as Record<'before' | 'after', Seen>;
    for (const side of ['before', 'after'] as const) {
      const served = await serve(side === 'before' ? fixed.before : fixed.after);
      try {
        const auth = { authorization: `Bearer ${token}` };
        const refund = (headers: Record<string, string>) => request(served.url, { path: '/admin/refunds', method: 'POST', headers, body: { orderId: 7 } });
        seen[side] = {
          anon: (await refund({})).status,
          authed: (await refund(auth)).status,
          ordersAnon: (await request(served.url, { path: '/orders' })).status,
          ordersAuthed: (await request(served.url, { path: '/orders', headers: auth })).status,
        };
      } finally {
        await served.close();
      }
    }
    const { before: b, after: a } = seen;
    const checks = new Checks();
    checks.expect(b.anon === 200, `before the fix an anonymous refund got ${b.anon}, not 200`);
    checks.expect(a.anon === 401 || a.anon === 403, `after the fix an anonymous refund got ${a.anon}, not 401/403`);
    checks.expect(b.authed === 200 && a.authed === 200, `an authenticated refund got ${b.authed} before and ${a.authed} after, not 200`);
    checks.expect(b.ordersAnon === a.ordersAnon && b.ordersAuthed === a.ordersAuthed, 'the guarded /orders route changed');
    fixReport.record({
      rule: RULE,
      dialectOrFramework: label,
      beforeFix: `fails: anonymous POST /admin/refunds ${b.anon}, with the token ${b.authed}`,
      afterFix: checks.ok ? `passes: anonymous POST /admin/refunds ${a.anon}, with the token ${a.authed}; GET /orders unchanged (${a.ordersAnon} anonymous, ${a.ordersAuthed} with the token)` : `FAILS: ${checks.failures.join('; ')}`,
    });
    checks.assertAll(label);
  } finally {
    fixed.cleanup();
  }
}

describe('missing-auth fix over real HTTP', function () {
  this.timeout(60_000);
  const token = randomBytes(16).toString('hex');

  it(`${APPS}/refunds.js (Express): the refunds route gets requireAuth`, async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture(`${APPS}/refunds.js`));
    await prove('Express 4 (requireAuth bearer-token middleware)', fixed, token, (s) => serveModule(s, { env: { API_TOKEN: token } }));
  });

  describe(`FastAPI: ${APPS}/refunds_fastapi.py`, function () {
    const label = 'FastAPI (Depends(get_current_user), uvicorn)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'fastapi', 'uvicorn'); });

    it('the refunds route gets dependencies=[Depends(get_current_user)]', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture(`${APPS}/refunds_fastapi.py`));
      await prove(label, fixed, token, (s) => servePython(s, { asgi: true, env: { API_TOKEN: token } }));
    });
  });

  describe(`Flask: ${APPS}/refunds_flask.py`, function () {
    const label = 'Flask (@login_required decorator of the app)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('the refunds view gets @login_required under its route decorator', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture(`${APPS}/refunds_flask.py`));
      await prove(label, fixed, token, (s) => servePython(s, { env: { API_TOKEN: token } }));
    });
  });
});
