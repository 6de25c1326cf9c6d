// Each rule declares what its findings depend on (RuleScope in rules/kit/rule.ts); a cached or
// reused result is only as right as that declaration. A rule whose detection code reaches facts
// from other files (another module's functions through the model's loader, the workspace's mounts,
// auth and rate-limit usage, schemas) must say `workspace`; this follows the rule file's imports
// (fix producers left out: they run on demand, not in the analysis) to every kit file that reads them.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import ts = require('typescript');
import { RULES } from '../server/src/engine';
import { ROOT } from './harness/fixtures';

/** Reads workspace facts: the model's workspace or module loader, or another module's functions. */
const READS_WORKSPACE = /\.workspace\b|\.loader\b|\bimportedFunction(Of)?\(/;
/** Where those are declared and implemented, not used by a rule. */
const DECLARING = new Set(['rules/kit/model/model.ts', 'rules/kit/model/modules.ts', 'rules/kit/rule.ts']);

function importsOf(rel: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)))
    // `../kit/workspace/versions` names a folder's index.ts.
    .map((base) => (fs.existsSync(path.join(ROOT, `${base}.ts`)) ? `${base}.ts` : `${base}/index.ts`));
}

/** The files of the rule's detection code that read workspace facts. */
function workspaceReaders(ruleFile: string): string[] {
  const seen = new Set<string>();
  const stack = [ruleFile];
  const out: string[] = [];
  while (stack.length) {
    const rel = stack.pop()!;
    if (seen.has(rel) || !fs.existsSync(path.join(ROOT, rel))) continue;
    seen.add(rel);
    if (rel !== ruleFile && /\.fix(-[a-z]+)?\.ts$/.test(rel)) continue;
    if (!DECLARING.has(rel) && READS_WORKSPACE.test(fs.readFileSync(path.join(ROOT, rel), 'utf8'))) out.push(rel);
    stack.push(...importsOf(rel));
  }
  return out;
}

describe('rule scope', () => {
  for (const rule of RULES) {
    it(`${rule.id} declares workspace scope when its detection reads workspace facts`, () => {
      const file = ['security', 'reliability', 'performance'].map((c) => `rules/${c}/${rule.id}.ts`).find((f) => fs.existsSync(path.join(ROOT, f)));
      assert.ok(file, `no file for rule ${rule.id}`);
      const readers = workspaceReaders(file);
      if (readers.length) assert.strictEqual(rule.scope, 'workspace', `${rule.id} reads workspace facts in ${readers.join(', ')}`);
      else assert.notStrictEqual(rule.scope, 'workspace', `${rule.id} reads no workspace facts: 'file' (or 'function') says more`);
    });
  }
});
