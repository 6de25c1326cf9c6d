// A rule that says `needsWorkspace` is skipped, trigger scan and all, in a file analysed without a
// workspace. That is only right if it could report nothing there: each such rule is run without
// the flag on every one of its bad fixtures, outside any workspace, and must stay silent.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine, languageOf, RULES } from '../server/src/engine';
import { FIXTURES } from './harness/fixtures';

describe('rules that need a workspace', () => {
  const needing = RULES.filter((r) => r.needsWorkspace);

  it('are workspace-scoped rules', () => {
    assert.ok(needing.length > 0);
    for (const r of needing) assert.strictEqual(r.scope, 'workspace', r.id);
  });

  it('report nothing in their bad fixtures when no workspace is given', async () => {
    let analysed = 0;
    for (const rule of needing) {
      const engine = await Engine.create([{ ...rule, needsWorkspace: undefined }]);
      const dir = path.join(FIXTURES, rule.id);
      for (const name of fs.readdirSync(dir)) {
        if (!name.startsWith('bad') || name.includes('.fixed.') || !languageOf(name)) continue;
        // Copied outside the fixture folder, so that no workspace is found for it either.
        const text = fs.readFileSync(path.join(dir, name), 'utf8');
        const findings = engine.analyze(`/no-workspace/${name}`, text).findings;
        analysed++;
        assert.deepStrictEqual(findings.map((f) => f.message), [], `${rule.id}/${name}`);
      }
    }
    assert.ok(analysed > 10, `only ${analysed} bad fixtures`);
  });
});
