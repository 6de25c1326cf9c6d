/**
 * Proves the cors-misconfig quick fix ("Restrict origins") with real preflight-free credentialed
 * requests: before the fix a request from an attacker's origin gets its own Origin echoed back
 * in Access-Control-Allow-Origin with Access-Control-Allow-Credentials, so the browser would hand
 * the attacker's page the user's data; after it the evil origin gets no Access-Control-Allow-Origin
 * while the front end listed in CORS_ALLOWED_ORIGINS still does.
 */
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks, show } from './suite';

registerReportWriter();

const RULE = 'cors-misconfig';
const EVIL = 'https://evil.example';
const FRONTEND = 'https://app.example.com';

interface Seen { evil?: string; credentials?: string; frontend?: string; status: number }

async function prove(label: string, fixed: FixedSource, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
  const seen: Partial<Record<'before' | 'after', Seen>> = {};
  try {
    for (const side of ['before', 'after'] as const) {
      const served = await serve(side === 'before' ? fixed.before : fixed.after);
      try {
        const headers = { cookie: 'sid=s3ss10n' };
        const evil = await request(served.url, { path: '/me', headers: { ...headers, origin: EVIL } });
        const front = await request(served.url, { path: '/me', headers: { ...headers, origin: FRONTEND } });
        seen[side] = { evil: evil.headers['access-control-allow-origin'], credentials: evil.headers['access-control-allow-credentials'], frontend: front.headers['access-control-allow-origin'], status: evil.status };
      } finally {
        await served.close();
      }
    }
  } finally {
    fixed.cleanup();
  }
  const b = seen.before!;
  const a = seen.after!;
  const checks = new Checks();
  checks.expect(b.evil === EVIL && b.credentials === 'true', `before the fix the evil origin was not echoed with credentials (${show(b)})`);
  checks.expect(a.evil !== EVIL && a.evil !== '*', `after the fix the evil origin still gets Access-Control-Allow-Origin: ${a.evil}`);
  checks.expect(a.frontend === FRONTEND, `after the fix the allowed front end lost its Access-Control-Allow-Origin (${show(a)})`);
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `fails: GET /me with Origin: ${EVIL} and a cookie answers Access-Control-Allow-Origin: ${b.evil}, Access-Control-Allow-Credentials: ${b.credentials}`,
    afterFix: checks.ok
      ? `passes: ${EVIL} gets no Access-Control-Allow-Origin${a.evil ? ` (${a.evil})` : ''}; ${FRONTEND}, listed in CORS_ALLOWED_ORIGINS, still gets it`
      : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

describe('cors-misconfig fix with credentialed cross-origin requests', function () {
  this.timeout(60_000);

  it('test/systems/apps/cors-misconfig/api-cors.js (Express, cors origin: true)', async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/cors-misconfig/api-cors.js'));
    await prove('Express (cors)', fixed, (source) => serveModule(source, { env: { CORS_ALLOWED_ORIGINS: FRONTEND } }));
  });

  describe('Flask: test/systems/apps/cors-misconfig/api_cors_flask.py', function () {
    const label = 'Flask (Access-Control-Allow-Origin set from the request)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('the evil origin is echoed before the fix and not after', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/cors-misconfig/api_cors_flask.py'));
      await prove(label, fixed, (source) => servePython(source, { env: { CORS_ALLOWED_ORIGINS: FRONTEND } }));
    });
  });
});
