// The time budget is a guard against pathological input, never a cut in ordinary analyses: no
// source file of the repository's corpora (rule fixtures, the sample app, the real-system apps,
// the rules' documentation examples) loses a finding to it at the default settings. And the
// engine's caches stay bounded by the size of the texts they hold, however many are analysed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { engine, ROOT, sourceFiles } from './harness/fixtures';
import { RULES } from '../server/src/engine';
import { DEFAULT_CONFIG } from '../server/src/config';


describe('time budget and caches', function () {
  this.timeout(300_000);

  it('no file of the test corpora loses findings to the default time budget', async () => {
    const e = await engine();
    const corpus: { name: string; text: string }[] = [
      ...['test-fixtures', 'sample-app', 'test/systems/apps'].flatMap((d) => sourceFiles(path.join(ROOT, d))).map((f) => ({ name: f, text: fs.readFileSync(f, 'utf8') })),
      ...RULES.flatMap((r) => Object.entries(r.docs.examples).flatMap(([lang, ex]) => [
        { name: `/docs/${r.id}/bad.${lang}`, text: ex!.bad },
        { name: `/docs/${r.id}/good.${lang}`, text: ex!.good },
      ])),
    ];
    assert.ok(corpus.length > 100, `${corpus.length} files`);
    const unbounded = { ...DEFAULT_CONFIG, timeBudgetMs: 600_000 };
    for (const { name, text } of corpus) {
      const bounded = e.analyze(name, text);
      e.forget(name);
      assert.deepStrictEqual(bounded.notices.filter((n) => n.kind === 'budget'), [], name);
      const full = e.analyze(name, text, { config: unbounded });
      e.forget(name);
      assert.deepStrictEqual(bounded.findings.map((f) => `${f.start}:${f.ruleId}`), full.findings.map((f) => `${f.start}:${f.ruleId}`), name);
    }
  });

  it('holds at most a few megabytes of analysed text, however many large documents are analysed (O1)', async () => {
    const e = await engine();
    const block = (i: number) => `export function handler${i}(req, res) {\n  const total = req.body.items.reduce((a, b) => a + b.price * b.qty, 0);\n  res.json({ total, id: ${i} });\n}\n`;
    const doc = (n: number) => Array.from({ length: 900 }, (_, i) => block(n * 1000 + i)).join('');
    assert.ok(doc(0).length > 100_000);
    let first;
    for (let n = 0; n < 45; n++) {
      const a = e.analyze(`/mem/doc${n}.js`, doc(n));
      first ??= a;
    }
    const stats = e.cacheStats();
    assert.ok(stats.parseChars <= 4 * 1024 * 1024 && stats.modelChars <= 4 * 1024 * 1024, JSON.stringify(stats));
    // An evicted model comes back from the analysed text when a quick fix needs it.
    assert.strictEqual(first!.model!.root.type, 'Program');
    for (let n = 0; n < 45; n++) e.forget(`/mem/doc${n}.js`);
  });

  it('keeps one model per document: a new version of a file supersedes the models of the old ones', async () => {
    const e = await engine();
    const version = (v: number) => `export function handler(req, res) {\n  res.json({ version: ${v} });\n}\n`;
    const before = e.cacheStats().models;
    const analyses = Array.from({ length: 10 }, (_, v) => e.analyze('/mem/typed.js', version(v)));
    assert.strictEqual(e.cacheStats().models, before + 1);
    // The oldest version's model is rebuilt from its own text when asked for.
    const old = analyses[0].model!;
    assert.strictEqual(old.text, version(0));
    assert.strictEqual(analyses[9].model!.text, version(9));
    e.forget('/mem/typed.js');
  });

  it('forgets a file with its model: a scan keeps no analysis alive after the file (its model is rebuilt if asked)', async () => {
    const e = await engine();
    const before = e.cacheStats();
    const a = e.analyze('/mem/scanned.js', 'export const x = 1;\n');
    assert.strictEqual(e.cacheStats().models, before.models + 1);
    e.forget('/mem/scanned.js');
    assert.deepStrictEqual(e.cacheStats(), before);
    assert.strictEqual(a.model!.text, 'export const x = 1;\n');
    e.forget('/mem/scanned.js');
  });
});
