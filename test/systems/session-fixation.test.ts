/**
 * Proves the session-fixation quick fix ("Regenerate session on login") with express-session over
 * real HTTP: an attacker opens a page first and keeps the session id it got; the victim signs in
 * carrying that id. Before the fix the sign-in keeps the id, and the attacker's copy answers
 * GET /me as the victim; after it the sign-in answers with a new id, the planted one is signed out,
 * and the new one is signed in. Both an async handler (awaited regenerate) and a callback-style
 * one (writes moved into regenerate's callback) are exercised.
 */
import { randomBytes } from 'node:crypto';
import { FireResult, request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture } from './fixes';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'session-fixation';

const sidOf = (r: FireResult) => r.setCookies.find((c) => c.startsWith('connect.sid='))?.split(';')[0];

interface Login { path: string; body: Record<string, string> }
interface Seen { planted: string; afterLogin?: string; status: number; plantedMe: number; newMe?: number }

async function fixate(url: string, login: Login): Promise<Seen> {
  const planted = sidOf(await request(url, { path: '/welcome' }));
  if (!planted) throw new Error('GET /welcome set no connect.sid cookie');
  const signIn = await request(url, { path: login.path, method: 'POST', body: login.body, headers: { cookie: planted } });
  const afterLogin = sidOf(signIn);
  const plantedMe = (await request(url, { path: '/me', headers: { cookie: planted } })).status;
  const newMe = afterLogin && afterLogin !== planted ? (await request(url, { path: '/me', headers: { cookie: afterLogin } })).status : undefined;
  return { planted, afterLogin, status: signIn.status, plantedMe, newMe };
}

describe('session-fixation fix with express-session over real HTTP', function () {
  this.timeout(60_000);

  it('test/systems/apps/session-fixation/login.js (Express, express-session)', async function () {
    const logins: Login[] = [
      { path: '/login', body: { email: 'ada@example.com', password: 'correct horse battery staple' } },
      { path: '/otp/verify', body: { email: 'ada@example.com', code: '123456' } },
    ];
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/session-fixation/login.js'));
    const seen: Record<'before' | 'after', Seen[]> = { before: [], after: [] };
    try {
      console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
      for (const side of ['before', 'after'] as const) {
        const served = await serveModule(side === 'before' ? fixed.before : fixed.after, { env: { SESSION_SECRET: randomBytes(16).toString('hex') } });
        try {
          for (const l of logins) seen[side].push(await fixate(served.url, l));
        } finally {
          await served.close();
        }
      }
    } finally {
      fixed.cleanup();
    }
    const checks = new Checks();
    logins.forEach((l, i) => {
      const b = seen.before[i];
      const a = seen.after[i];
      checks.expect(b.status === 200 && (!b.afterLogin || b.afterLogin === b.planted) && b.plantedMe === 200, `${l.path} before the fix: expected the planted id to be signed in (${JSON.stringify(b)})`);
      checks.expect(a.status === 200, `${l.path} after the fix: sign-in answered ${a.status}`);
      checks.expect(!!a.afterLogin && a.afterLogin !== a.planted, `${l.path} after the fix: the session id did not change`);
      checks.expect(a.plantedMe === 401, `${l.path} after the fix: the planted id answers GET /me with ${a.plantedMe}, expected 401`);
      checks.expect(a.newMe === 200, `${l.path} after the fix: the new id answers GET /me with ${a.newMe}, expected 200`);
    });
    fixReport.record({
      rule: RULE,
      dialectOrFramework: 'Express, express-session (async handler and callback-style 2FA handler)',
      beforeFix: `fails: ${logins.map((l, i) => `${l.path} keeps the connect.sid planted by GET /welcome${seen.before[i].afterLogin ? '' : ' (no new Set-Cookie)'}, and the attacker's copy of it answers GET /me ${seen.before[i].plantedMe}`).join('; ')}`,
      afterFix: checks.ok
        ? `passes: ${logins.map((l, i) => `${l.path} answers with a new connect.sid; the planted id gets GET /me ${seen.after[i].plantedMe}, the new one ${seen.after[i].newMe}`).join('; ')}`
        : `FAILS: ${checks.failures.join('; ')}`,
    });
    checks.assertAll('session-fixation');
  });
});
