/**
 * Proves the missing-timeout quick fix ("Add timeout") against a loopback server that accepts the
 * connection and never answers (a dependency stuck mid-deploy). Before the fix the call is still
 * waiting when the test's own bound runs out; after it the call fails with a timeout error at the
 * fix's ten seconds. Both sides run at once, so the check costs one bound.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture } from './fixes';
import { Checks } from './suite';
import { pythonReady, runPythonDriver } from './python';

registerReportWriter();

const RULE = 'missing-timeout';
/** The test's own bound: longer than the fix's 10 s timeout. */
const BOUND_MS = 13_000;

type Rates = { fetchRates(baseUrl: string, currency: string): Promise<unknown> };

interface Outcome { kind: 'hung' | 'failed' | 'answered'; ms: number; error?: string }

async function call(mod: Rates, baseUrl: string): Promise<Outcome> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<Outcome>((r) => { timer = setTimeout(() => r({ kind: 'hung', ms: Date.now() - t0 }), BOUND_MS); });
  const attempt = mod.fetchRates(baseUrl, 'EUR').then(
    () => ({ kind: 'answered' as const, ms: Date.now() - t0 }),
    (e: Error) => ({ kind: 'failed' as const, ms: Date.now() - t0, error: `${e.name}: ${e.message}` }),
  );
  try {
    return await Promise.race([attempt, bound]);
  } finally {
    clearTimeout(timer);
  }
}

function load(dir: string, name: string, source: string): Rates {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  delete require.cache[require.resolve(file)];
  return require(file) as Rates;
}

const describeOutcome = (o: Outcome) => (o.kind === 'hung' ? `still waiting when the test's ${BOUND_MS / 1000} s bound ran out` : o.kind === 'failed' ? `failed after ${(o.ms / 1000).toFixed(1)} s with ${o.error}` : `answered after ${o.ms} ms`);

describe('missing-timeout fix against a server that never answers', function () {
  this.timeout(60_000);

  it('test/systems/apps/missing-timeout/rates.js: fetch with no signal', async function () {
    const fixed = await applyRuleFix(RULE, 'rates.js', fixture('test/systems/apps/missing-timeout/rates.js'));
    // Accepts every connection and reads the request, but never writes a byte back.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => { sockets.add(s); s.on('error', () => undefined); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
      const [before, after] = await Promise.all([
        call(load(fixed.workspace, 'before.js', fixed.before), url),
        call(load(fixed.workspace, 'after.js', fixed.after), url),
      ]);
      console.log(`      before: ${describeOutcome(before)}\n      after: ${describeOutcome(after)}`);
      const checks = new Checks();
      checks.expect(before.kind === 'hung', `the unfixed call did not hang: ${describeOutcome(before)}`);
      checks.expect(after.kind === 'failed' && /timeout|abort/i.test(after.error ?? '') && after.ms >= 9_500 && after.ms < BOUND_MS, `the fixed call did not fail at its timeout: ${describeOutcome(after)}`);
      fixReport.record({
        rule: RULE,
        dialectOrFramework: `Node ${process.versions.node} fetch, loopback server that never answers`,
        beforeFix: `fails: ${describeOutcome(before)}`,
        afterFix: checks.ok ? `passes: ${describeOutcome(after)}` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('missing-timeout');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
      fixed.cleanup();
    }
  });

  it('test/systems/apps/missing-timeout/rates_requests.py: requests.get with no timeout', async function () {
    const label = 'Python requests, loopback server that never answers';
    const why = await pythonReady('requests');
    if (why) {
      fixReport.recordNotRun(RULE, label, why);
      this.skip();
    }
    const fixed = await applyRuleFix(RULE, 'rates.py', fixture('test/systems/apps/missing-timeout/rates_requests.py'));
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => { sockets.add(s); s.on('error', () => undefined); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
      const side = async (name: string, source: string): Promise<Outcome> => {
        const file = path.join(fixed.workspace, name);
        fs.writeFileSync(file, source);
        const r = await runPythonDriver(file, 'call', url, BOUND_MS);
        if (r.timedOut) return { kind: 'hung', ms: r.ms };
        const out = JSON.parse(r.stdout || '{}') as { kind?: 'failed' | 'answered'; error?: string };
        return { kind: out.kind ?? 'failed', ms: r.ms, error: out.error ?? r.stderr.slice(-200) };
      };
      const [before, after] = await Promise.all([side('before.py', fixed.before), side('after.py', fixed.after)]);
      console.log(`      before: ${describeOutcome(before)}\n      after: ${describeOutcome(after)}`);
      const checks = new Checks();
      checks.expect(before.kind === 'hung', `the unfixed call did not hang: ${describeOutcome(before)}`);
      checks.expect(after.kind === 'failed' && /timeout|timed out/i.test(after.error ?? '') && after.ms >= 9_500 && after.ms < BOUND_MS, `the fixed call did not fail at its timeout: ${describeOutcome(after)}`);
      fixReport.record({ rule: RULE, dialectOrFramework: label, beforeFix: `fails: ${describeOutcome(before)}`, afterFix: checks.ok ? `passes: ${describeOutcome(after)}` : `FAILS: ${checks.failures.join('; ')}` });
      checks.assertAll('missing-timeout (requests)');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
      fixed.cleanup();
    }
  });
});
