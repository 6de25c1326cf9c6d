// The kit's layers, checked on the import statements: model → contract → frameworks/workspace →
// fixes → rules → registry → server. A module imports only from its own layer or lower ones, so a
// helper written for one rule never drags framework or fix knowledge into the code model, and a
// newcomer finds each piece by the folder it sits in. Files also stay small enough to read.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import ts = require('typescript');
import { ROOT } from './harness/fixtures';

const MAX_LINES = 400;

/** The layer of a repository file (relative path, forward slashes); undefined outside the layered code. */
export function layerOf(rel: string): { rank: number; name: string } | undefined {
  if (rel.startsWith('rules/kit/model/')) return { rank: 0, name: 'model' };
  if (rel === 'rules/kit/rule.ts') return { rank: 1, name: 'contract' };
  if (rel.startsWith('rules/kit/frameworks/') || rel.startsWith('rules/kit/workspace/')) return { rank: 2, name: 'frameworks' };
  if (rel.startsWith('rules/kit/fixes/')) return { rank: 3, name: 'fixes' };
  if (rel.startsWith('rules/kit/')) return { rank: -1, name: 'kit root (only rule.ts belongs here)' };
  if (/^rules\/[a-z]+\/[^/]+\.ts$/.test(rel)) return { rank: 4, name: 'rules' };
  if (rel === 'rules/index.ts') return { rank: 5, name: 'registry' };
  if (rel.startsWith('server/src/')) return { rank: 6, name: 'server' };
  return undefined;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/**
 * Relative imports of a file, resolved to repository paths: import declarations, `import x =
 * require()`, `require()` and `import()` calls, found by the TypeScript scanner (so an example in a
 * string is not an import). Type-only imports count: they couple the layers too.
 */
function importsOf(rel: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)) + '.ts');
}

/** The rule id a file under rules/<category>/ belongs to: `webhook-unverified.fix.ts` → `webhook-unverified`. */
const ruleIdOf = (rel: string) => path.posix.basename(rel).split('.')[0];

describe('kit layers', () => {
  const files = [...tsFiles('rules'), ...tsFiles('server/src')];

  it('every file of rules/kit sits in a layer folder', () => {
    const stray = files.filter((f) => layerOf(f)?.rank === -1);
    assert.deepStrictEqual(stray, []);
  });

  it('imports point down only', () => {
    const violations: string[] = [];
    for (const f of files) {
      const from = layerOf(f);
      if (!from) continue;
      for (const target of importsOf(f)) {
        const to = layerOf(target);
        if (!to) continue;
        if (to.rank > from.rank) violations.push(`${f} (${from.name}) imports ${target} (${to.name})`);
        // A rule may use its own companion modules (its large fix), never another rule's.
        if (from.rank === 4 && to.rank === 4 && ruleIdOf(f) !== ruleIdOf(target)) violations.push(`${f} imports another rule's module ${target}`);
      }
    }
    assert.deepStrictEqual(violations, []);
  });

  it('recognises an upward import (the check can fail)', () => {
    assert.ok(layerOf('rules/kit/fixes/edits.ts')!.rank > layerOf('rules/kit/model/ir.ts')!.rank);
    assert.ok(layerOf('rules/security/sql-injection.ts')!.rank > layerOf('rules/kit/frameworks/sql.ts')!.rank);
    assert.strictEqual(layerOf('rules/kit/helpers.ts')!.rank, -1);
  });

  it(`no file in rules/ or server/ is over ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f, n: fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter(({ n }) => n > MAX_LINES)
      .map(({ f, n }) => `${f}: ${n} lines`);
    assert.deepStrictEqual(long, []);
  });
});
