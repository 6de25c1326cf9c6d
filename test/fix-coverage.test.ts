// The six headline rules either offer a fix for a finding or say why none can be made: on their own
// fixtures and on the sample app, every finding carries a fix or a reason (in its message and in
// data.noFixReason), so a user never meets a squiggle that silently has no quick fix.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { engine, FIXTURES, ROOT } from './harness/fixtures';
import { languageOf } from '../server/src/engine';

const HEADLINE = ['sql-injection', 'hardcoded-secret', 'webhook-unverified', 'webhook-not-idempotent', 'token-in-url', 'connection-per-request'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return /^(node_modules|expected-files)$/.test(e.name) ? [] : sourceFiles(p);
    return languageOf(p) && !/\.fixed\./.test(e.name) ? [p] : [];
  });
}

describe('fix coverage of the headline rules', () => {
  const files = [...HEADLINE.flatMap((r) => sourceFiles(path.join(FIXTURES, r))), ...sourceFiles(path.join(ROOT, 'sample-app'))];

  it('every finding offers a fix or says why none can be made', async () => {
    const e = await engine();
    const silent: string[] = [];
    let findings = 0;
    for (const file of files) {
      const a = e.analyze(file, fs.readFileSync(file, 'utf8'));
      for (const f of a.findings) {
        if (!HEADLINE.includes(f.ruleId)) continue;
        findings++;
        const reason = f.data?.noFixReason;
        if (f.fix) continue;
        if (typeof reason === 'string' && reason && f.message.endsWith(`(no automatic fix: ${reason})`)) continue;
        silent.push(`${path.relative(ROOT, file)}:${a.model!.lines.position(f.start).line + 1} ${f.ruleId}: ${f.message}`);
      }
    }
    assert.ok(findings > 100, `expected the headline fixtures to give many findings, got ${findings}`);
    assert.deepStrictEqual(silent, [], 'findings with neither a fix nor a reason');
  });
});
