// Ignore matching is linear in the path length whatever the pattern (no regular-expression
// backtracking), and one .gitignore line that cannot be understood leaves the others in force.
import * as assert from 'assert';
import { matchGlob } from '../server/src/glob';
import { parseGitignore, verdict } from '../server/src/cli/gitignore';
import { compilePieces } from '../server/src/wildmatch';
import { findings, project, removeProjects, vibeguard, VULNERABLE } from './harness/cli';

// Each `*a` gives a backtracking matcher one more nested choice: the original regular
// expressions took about a minute on one 40-character name.
const PATHOLOGICAL = '*a*a*a*a*a*a*a*a*a*a*b';

function elapsedMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

describe('ignore matching', function () {
  this.timeout(120_000);
  after(removeProjects);

  it('a pathological glob in the ignore list answers at once (D5)', () => {
    const names = Array.from({ length: 50 }, (_, i) => 'a'.repeat(40 + (i % 3)));
    let matched = false;
    // A bound on behaviour, not a speed target: the backtracking version needs minutes here.
    const ms = elapsedMs(() => { for (const n of names) matched ||= matchGlob(PATHOLOGICAL, n); });
    assert.strictEqual(matched, false);
    assert.ok(ms < 2000, `took ${ms} ms`);
    assert.ok(matchGlob(PATHOLOGICAL, 'xaaaaaaaaaab'));
  });

  it('a pathological .gitignore line answers at once (D5)', () => {
    const patterns = parseGitignore(`${PATHOLOGICAL}\n`);
    const ms = elapsedMs(() => { for (let i = 0; i < 50; i++) verdict(patterns, 'a'.repeat(40), false); });
    assert.ok(ms < 2000, `took ${ms} ms`);
    assert.strictEqual(verdict(patterns, `${'a'.repeat(12)}b`, false), true);
  });

  it('the CLI walks a folder of long names under a pathological .gitignore and ignore glob (D5)', () => {
    const files: Record<string, string> = {
      '.gitignore': `${PATHOLOGICAL}\n`,
      '.vibeguard.json': JSON.stringify({ ignore: [PATHOLOGICAL] }),
      'users.js': VULNERABLE,
    };
    for (let i = 0; i < 50; i++) files[`names/${'a'.repeat(36)}${String(i).padStart(2, '0')}.js`] = '';
    const dir = project(files);
    const t0 = Date.now();
    const r = vibeguard(dir, 'scan', '--format', 'json');
    assert.ok(Date.now() - t0 < 30_000, 'the scan finishes');
    assert.deepStrictEqual(findings(r).map((f) => f.file), ['users.js'], r.stderr);
  });

  it('one invalid .gitignore line leaves the rest of the file in force (D14)', () => {
    const patterns = parseGitignore('[z-a]*.tmp\ndist/\n*.log\n');
    assert.strictEqual(verdict(patterns, 'dist', true), true);
    assert.strictEqual(verdict(patterns, 'x.log', false), true);
    // A reversed range holds no character, as in git: the line matches nothing.
    assert.strictEqual(verdict(patterns, 'z.tmp', false), undefined);
    const dir = project({ '.gitignore': '[z-a]*.tmp\ndist/\n', 'dist/bundle.js': VULNERABLE, 'src/app.js': VULNERABLE });
    const r = vibeguard(dir, 'scan', '--format', 'json');
    assert.deepStrictEqual(findings(r).map((f) => f.file), ['src/app.js']);
  });

  it('the matcher keeps glob semantics: classes, ranges, negation, ** and segment-bound *', () => {
    const m = (pieces: Parameters<typeof compilePieces>[0], s: string) => compilePieces(pieces).test(s);
    assert.ok(m([{ kind: 'class', negate: false, chars: '', ranges: [['0', '9']] }], '7'));
    assert.ok(!m([{ kind: 'class', negate: true, chars: 'x', ranges: [] }], 'x'));
    assert.ok(!m([{ kind: 'class', negate: true, chars: 'x', ranges: [] }], '/'));
    assert.ok(matchGlob('dist/**', 'dist/a/b.js'));
    assert.ok(matchGlob('**/gen/*.ts', 'gen/x.ts'));
    assert.ok(matchGlob('**/gen/*.ts', 'a/b/gen/x.ts'));
    assert.ok(!matchGlob('src/*.ts', 'src/a/x.ts'));
    assert.ok(matchGlob('*.generated.ts', 'deep/down/x.generated.ts'));
  });
});
