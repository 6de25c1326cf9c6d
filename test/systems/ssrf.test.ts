/**
 * Proves the ssrf quick fix ("Add host allowlist guard") with a real internal service: a loopback
 * HTTP server stands for the metadata endpoint or an internal admin API. Before the fix the import
 * endpoint requests the loopback URL a caller names (the internal server sees the request); after
 * it the endpoint answers 400 and the internal server sees nothing. Once the allowlist the fix
 * declares names a host, requests to that host go through again (Express).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks, show } from './suite';

registerReportWriter();

const RULE = 'ssrf';

/** A stand-in for an internal service on loopback; counts the requests that reach it. */
async function internalService(): Promise<{ port: number; hits: () => number; close(): Promise<void> }> {
  let hits = 0;
  const srv = http.createServer((req, res) => {
    hits++;
    res.end('{"AccessKeyId":"ASIA-internal-only"}');
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as AddressInfo).port,
    hits: () => hits,
    close: () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }),
  };
}

interface Seen { status: number; hits: number; body: unknown }

async function prove(label: string, fixed: FixedSource, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>, allowed?: (source: string, port: number, hits: () => number) => Promise<Seen>): Promise<void> {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
  const internal = await internalService();
  const seen: Partial<Record<'before' | 'after', Seen>> = {};
  let allowedSeen: Seen | undefined;
  try {
    for (const side of ['before', 'after'] as const) {
      const served = await serve(side === 'before' ? fixed.before : fixed.after);
      const before = internal.hits();
      try {
        const r = await request(served.url, { path: '/import', body: { url: `http://127.0.0.1:${internal.port}/latest/meta-data/iam/security-credentials/` } });
        seen[side] = { status: r.status, hits: internal.hits() - before, body: r.json ?? r.body };
      } finally {
        await served.close();
      }
    }
    if (allowed) allowedSeen = await allowed(fixed.after, internal.port, internal.hits);
  } finally {
    await internal.close();
    fixed.cleanup();
  }
  const b = seen.before!;
  const a = seen.after!;
  const checks = new Checks();
  checks.expect(b.status === 200 && b.hits === 1, `before the fix the loopback URL was not fetched (${show(b)})`);
  checks.expect(a.hits === 0, `after the fix the internal service still got ${a.hits} request(s)`);
  checks.expect(a.status === 400, `after the fix the endpoint answered ${a.status} instead of 400 (${show(a.body)})`);
  if (allowedSeen) checks.expect(allowedSeen.status === 200 && allowedSeen.hits === 1, `a host named in ALLOWED_FETCH_HOSTS was not fetched after the fix (${show(allowedSeen)})`);
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `fails: POST /import {"url": "http://127.0.0.1:<port>/latest/meta-data/..."} reached the internal service (${b.hits} request, status ${b.status})`,
    afterFix: checks.ok
      ? `passes: the same request is refused with ${a.status} and the internal service sees nothing${allowedSeen ? '; a host added to ALLOWED_FETCH_HOSTS (localhost) is fetched (200)' : ''}`
      : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

describe('ssrf fix against an internal loopback service', function () {
  this.timeout(60_000);

  it('test/systems/apps/ssrf/import-by-url.js (Express, fetch)', async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/ssrf/import-by-url.js'));
    await prove('Express (fetch)', fixed, (source) => serveModule(source), async (after, port, hits) => {
      // The user fills in the allowlist the fix declared: that host is reachable again.
      const filled = after.replace('new Set([])', "new Set(['localhost'])");
      const served = await serveModule(filled);
      const start = hits();
      try {
        const r = await request(served.url, { path: '/import', body: { url: `http://localhost:${port}/status` } });
        return { status: r.status, hits: hits() - start, body: r.json };
      } finally {
        await served.close();
      }
    });
  });

  describe('Flask: test/systems/apps/ssrf/import_by_url_flask.py', function () {
    const label = 'Flask (urllib.request.urlopen)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('the loopback URL is fetched before the fix and refused after', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/ssrf/import_by_url_flask.py'));
      await prove(label, fixed, (source) => servePython(source));
    });
  });
});
