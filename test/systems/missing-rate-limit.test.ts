/**
 * Proves the missing-rate-limit quick fix ("Add rate limiter") over real HTTP, on Express with
 * express-rate-limit and on Flask with flask-limiter: eleven login attempts from one address
 * within the window all reach the password check before the fix (the eleventh gets 401 like the
 * others); after it the first ten are answered as before (a right password 200, wrong ones 401)
 * and the eleventh gets 429.
 */
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, type FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'missing-rate-limit';
const APPS = 'test/systems/apps/missing-rate-limit';

async function prove(label: string, fixed: FixedSource, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
  try {
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    const statuses: Record<'before' | 'after', number[]> = { before: [], after: [] };
    for (const side of ['before', 'after'] as const) {
      const served = await serve(side === 'before' ? fixed.before : fixed.after);
      try {
        for (let i = 0; i < 11; i++) {
          const password = i === 0 ? 'correct horse battery staple' : `guess-${i}`;
          statuses[side].push((await request(served.url, { path: '/login', method: 'POST', body: { email: 'ada@example.com', password } })).status);
        }
      } finally {
        await served.close();
      }
    }
    const { before: b, after: a } = statuses;
    const checks = new Checks();
    checks.expect(b[0] === 200 && b.slice(1).every((s) => s === 401), `before the fix: ${b.join(',')}`);
    checks.same(a.slice(0, 10), b.slice(0, 10), 'the first ten attempts');
    checks.expect(a[10] === 429, `after the fix the 11th attempt got ${a[10]}, not 429`);
    fixReport.record({
      rule: RULE,
      dialectOrFramework: label,
      beforeFix: `fails: 11 attempts in a row answered ${b[0]}, then ${b.slice(1).join(',')} (every guess reaches the password check)`,
      afterFix: checks.ok ? `passes: attempts 1-10 answered as before, the 11th within 15 minutes ${a[10]}` : `FAILS: ${checks.failures.join('; ')}`,
    });
    checks.assertAll(label);
  } finally {
    fixed.cleanup();
  }
}

describe('missing-rate-limit fix over real HTTP', function () {
  this.timeout(60_000);

  it(`${APPS}/login.js (Express): the 11th attempt within the window gets 429`, async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture(`${APPS}/login.js`), {
      workspaceFiles: { 'package.json': JSON.stringify({ dependencies: { express: '4.21.2', 'express-rate-limit': '8.7.5' } }) },
    });
    await prove('Express 4 / express-rate-limit 8', fixed, (s) => serveModule(s));
  });

  describe(`Flask: ${APPS}/login_flask.py`, function () {
    const label = 'Flask / flask-limiter (@limiter.limit)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask', 'flask_limiter'); });

    it('the login view gets @limiter.limit("10 per 15 minutes")', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture(`${APPS}/login_flask.py`));
      await prove(label, fixed, (s) => servePython(s));
    });
  });
});
