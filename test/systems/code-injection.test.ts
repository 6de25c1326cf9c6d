/**
 * Proves the code-injection quick fixes against a real shell: before the fix a file name holding
 * `; touch <marker>` makes the server run a second command (the marker file appears); after it
 * (execFile with an argument array in Express, subprocess.run with a list and no shell=True in
 * Flask) the same request runs only `wc`, which fails on the odd name, and no marker appears,
 * while an ordinary file name is counted the same on both sides.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks, show } from './suite';
import { removeDir } from './util';

registerReportWriter();

const RULE = 'code-injection';

interface Side { marker: boolean; ordinary: { status: number; body: unknown }; injected: { status: number } }

async function prove(label: string, fixed: FixedSource, serve: (source: string, workDir: string) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
  const seen: Partial<Record<'before' | 'after', Side>> = {};
  try {
    for (const side of ['before', 'after'] as const) {
      const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-ci-'));
      fs.writeFileSync(path.join(workDir, 'hello.txt'), 'hello\n');
      const marker = path.join(workDir, 'pwned');
      const served = await serve(side === 'before' ? fixed.before : fixed.after, workDir);
      try {
        const ordinary = await request(served.url, { path: '/count', body: { file: 'hello.txt' } });
        const injected = await request(served.url, { path: '/count', body: { file: `hello.txt; touch ${marker}` } });
        seen[side] = { marker: fs.existsSync(marker), ordinary: { status: ordinary.status, body: ordinary.json }, injected: { status: injected.status } };
      } finally {
        await served.close();
        removeDir(workDir);
      }
    }
  } finally {
    fixed.cleanup();
  }
  const b = seen.before!;
  const a = seen.after!;
  const checks = new Checks();
  checks.expect(b.marker, `before the fix the payload did not create the marker file (${show(b)})`);
  checks.expect(!a.marker, 'after the fix the payload still created the marker file');
  checks.expect(b.ordinary.status === 200 && a.ordinary.status === 200, `an ordinary file name: ${b.ordinary.status} before, ${a.ordinary.status} after`);
  checks.same(a.ordinary.body, b.ordinary.body, 'the count of an ordinary file');
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `fails: {"file": "hello.txt; touch pwned"} ran a second command (marker file created, status ${b.injected.status}); an ordinary name is counted: ${show(b.ordinary.body, 60)}`,
    afterFix: checks.ok
      ? `passes: the same payload is one argument to wc (status ${a.injected.status}, no marker file); an ordinary name gives the same count`
      : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

describe('code-injection fix against a real shell', function () {
  this.timeout(60_000);

  it('test/systems/apps/code-injection/word-count.js (Express, child_process.exec → execFile)', async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/code-injection/word-count.js'));
    await prove('Express (child_process.exec → execFile)', fixed, (source, workDir) => serveModule(source, { env: { WORK_DIR: workDir } }));
  });

  describe('Flask: test/systems/apps/code-injection/word_count_flask.py', function () {
    const label = 'Flask (subprocess.run shell=True → argument list)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('the payload runs before the fix and not after', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/code-injection/word_count_flask.py'));
      await prove(label, fixed, (source, workDir) => servePython(source, { env: { WORK_DIR: workDir } }));
    });
  });
});
