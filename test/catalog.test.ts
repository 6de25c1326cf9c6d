// Catalog invariants: every rule is complete (docs, examples, fixtures), ids are unique and equal
// to file names, docs examples behave as documented, and generated docs are current.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allRules } from '../rules/index';
import { engine, ROOT } from './harness/fixtures';
import { expectedDocs } from '../scripts/gen-docs';

const EXT = { js: /\.[cm]?[jt]sx?$/, py: /\.py$/ } as const;

describe('rule catalog', () => {
  it('ids are unique kebab-case and equal to the rule file name', () => {
    const ids = allRules.map((r) => r.id);
    assert.deepStrictEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'duplicate ids');
    for (const r of allRules) {
      assert.match(r.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      assert.ok(fs.existsSync(path.join(ROOT, 'rules', r.category, `${r.id}.ts`)), `rules/${r.category}/${r.id}.ts`);
    }
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      it('has complete docs and messages', () => {
        assert.ok(rule.docs.summary.length > 10 && !rule.docs.summary.endsWith('.'), 'summary: one line, no trailing period');
        assert.ok(rule.docs.why.length > 40, 'why: the production risk');
        if (rule.fix) assert.ok(rule.docs.fix && rule.docs.fix.length > 20, 'docs.fix describes the quick fix');
        for (const m of Object.values(rule.messages)) assert.ok(!/\.\s*$/.test(m), `message "${m}" ends with a period`);
        for (const lang of rule.languages) assert.ok(rule.docs.examples[lang], `example for ${lang}`);
      });

      it('rates its findings for GitHub code scanning when it is a security rule (securitySeverity 0.1-10.0)', () => {
        if (rule.category === 'security') assert.ok(rule.securitySeverity !== undefined && rule.securitySeverity >= 0.1 && rule.securitySeverity <= 10, String(rule.securitySeverity));
        else assert.strictEqual(rule.securitySeverity, undefined, 'only security rules have a security severity');
      });

      it('has bad and good fixtures for every language it covers', () => {
        const dir = path.join(ROOT, 'test-fixtures', rule.id);
        assert.ok(fs.existsSync(dir), `test-fixtures/${rule.id}/`);
        const names = fs.readdirSync(dir);
        for (const lang of rule.languages) {
          assert.ok(names.some((n) => n.startsWith('bad') && !n.includes('.fixed.') && EXT[lang].test(n)), `bad fixture for ${lang}`);
          assert.ok(names.some((n) => n.startsWith('good') && EXT[lang].test(n)), `good fixture for ${lang}`);
        }
      });

      for (const lang of rule.languages) {
        it(`docs example (${lang}): bad gives exactly one finding of the rule, good none`, async () => {
          const e = await engine();
          const ex = rule.docs.examples[lang]!;
          const file = path.join(ROOT, lang === 'js' ? 'example.ts' : 'example.py');
          // An example is a few lines about one rule: a login handler that shows bcrypt needs no rate
          // limiter, a fan-out that shows batching no timeout. Other rules' findings are their own docs'.
          const files = new Map(Object.entries(ex.workspace ?? {}).map(([rel, text]) => [path.join(ROOT, rel), text]));
          const workspace = ex.workspace ? { root: ROOT, readFile: (p: string) => files.get(p), findFiles: (pred: (rel: string) => boolean) => [...files.keys()].filter((p) => pred(path.relative(ROOT, p).replace(/\\/g, '/'))) } : undefined;
          const own = (text: string) => e.analyze(file, text, { workspace }).findings.filter((f) => f.ruleId === rule.id);
          const bad = own(ex.bad);
          assert.deepStrictEqual(bad.map((f) => f.ruleId), [rule.id], `bad example findings: ${JSON.stringify(bad.map((f) => f.message))}`);
          const good = own(ex.good);
          assert.deepStrictEqual(good.map((f) => `${f.ruleId}: ${f.message}`), []);
        });
      }
    });
  }

  it('generated rule docs are current (run `npm run docs`)', () => {
    for (const [name, text] of expectedDocs()) {
      const p = path.join(ROOT, 'docs', 'rules', name);
      assert.ok(fs.existsSync(p), `docs/rules/${name} is missing`);
      assert.strictEqual(fs.readFileSync(p, 'utf8'), text, `docs/rules/${name} is stale`);
    }
  });
});
