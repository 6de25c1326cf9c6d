// The bundled sample app is the product demo: the scan must report exactly the findings it was
// written to exhibit, and none of its deliberate look-alikes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { engine, ROOT, sourceFiles } from './harness/fixtures';
import { RULE_IDS } from '../server/src/engine';

const APP = path.join(ROOT, 'sample-app');
interface Expected { rules: string[]; findings: { file: string; line: number; rule: string }[]; mustNotFlag: { file: string; line: number; rule: string; why: string }[] }


describe('sample app', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(APP, 'expected-findings.json'), 'utf8')) as Expected;

  it('every rule it demonstrates is registered', () => {
    assert.deepStrictEqual(expected.rules.filter((r) => !RULE_IDS.has(r)), []);
  });

  it('reports exactly the expected findings of those rules', async () => {
    const e = await engine();
    const got: string[] = [];
    for (const file of sourceFiles(APP)) {
      const a = e.analyze(file, fs.readFileSync(file, 'utf8'));
      assert.deepStrictEqual(a.notices, [], `${file}: ${JSON.stringify(a.notices)}`);
      for (const f of a.findings) {
        if (expected.rules.includes(f.ruleId)) got.push(`${path.relative(APP, file)}:${a.model!.lines.position(f.start).line + 1}:${f.ruleId}`);
      }
    }
    const want = expected.findings.map((f) => `${f.file}:${f.line}:${f.rule}`);
    assert.deepStrictEqual(got.sort(), want.sort());
    for (const m of expected.mustNotFlag) assert.ok(!got.includes(`${m.file}:${m.line}:${m.rule}`), `look-alike flagged: ${m.file}:${m.line} (${m.why})`);
  });
});
