// Gating a pull request on new findings only: `--write-baseline` / `--baseline` and
// `--changed-since`, on a real git repository made here, the way a team adopts Vibe Guard on an
// existing code base. Needs the bundles (`npm run build`).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { onChangedLines } from '../server/src/cli/gating';
import { parseChangedLines, unquote } from '../server/src/cli/changed';
import type { FileFinding } from '../server/src/cli/types';
import { project, removeProjects, requireBuild, vibeguard, type Run } from './harness/cli';
import { GitRepo } from './harness/git';
import { SEARCH_PY, TWO_QUERIES_JS } from './harness/samples';

const NEW_HANDLER = "app.get('/items', async (req, res) => {\n  const { rows } = await pool.query(\"SELECT * FROM items WHERE name = '\" + req.query.name + \"'\");\n  res.json(rows);\n});\n";

interface Json {
  findings: { file: string; rule: string; line: number; fingerprint: string }[];
  baseline?: { file: string; known: number; gone: { file: string; rule: string; fingerprint: string }[] };
}
const json = (r: Run): Json => JSON.parse(r.stdout) as Json;
const lines = (r: Run) => json(r).findings.map((f) => `${f.file}:${f.line}:${f.rule}`);

describe('gating: baseline and changed lines on a git repository', function () {
  this.timeout(120_000);
  before(requireBuild);
  after(removeProjects);

  it('a baseline suppresses known findings through line shifts, reports a new one (exit 1) and the fixed one as gone; --changed-since HEAD~1 reports only the new one', () => {
    const repo = new GitRepo({ 'src/users.js': TWO_QUERIES_JS, 'src/search.py': SEARCH_PY });
    repo.commit('the app as it is');
    const all = vibeguard(repo.dir, 'scan', '--format', 'json');
    assert.strictEqual(all.code, 1);
    assert.deepStrictEqual(lines(all), ['src/search.py:5:sql-injection', 'src/users.js:4:sql-injection', 'src/users.js:8:sql-injection']);

    const written = vibeguard(repo.dir, 'scan', '--write-baseline', '.vibeguard-baseline.json');
    assert.strictEqual(written.code, 0, 'every finding is now a known one');
    assert.match(written.stderr, /wrote 3 findings to the baseline \.vibeguard-baseline\.json/);
    const file = JSON.parse(repo.read('.vibeguard-baseline.json'));
    assert.deepStrictEqual(file.findings.map((e: { file: string; rule: string }) => `${e.file}:${e.rule}`), ['src/search.py:sql-injection', 'src/users.js:sql-injection', 'src/users.js:sql-injection']);
    assert.ok(!repo.read('.vibeguard-baseline.json').includes('req.query'), 'no code in the baseline');
    repo.commit('baseline');

    // Lines inserted above every finding: a header, a helper, a comment inside the handler.
    repo.write({
      'src/users.js': `// Users and orders.\nfunction log(x) { console.log(x); }\n\n${TWO_QUERIES_JS.replace("  const { rows } = await pool.query(`SELECT * FROM users", "  log('lookup');\n  // by e-mail\n  const { rows } = await pool.query(`SELECT * FROM users")}`,
      'src/search.py': `"""Search."""\n\n${SEARCH_PY}`,
    });
    repo.commit('lines moved');
    const shifted = vibeguard(repo.dir, 'scan', '--baseline', '.vibeguard-baseline.json', '--format', 'json');
    assert.strictEqual(shifted.code, 0, shifted.stdout);
    assert.deepStrictEqual(json(shifted).findings, []);
    assert.deepStrictEqual({ ...json(shifted).baseline, gone: json(shifted).baseline!.gone.length }, { file: '.vibeguard-baseline.json', known: 3, gone: 0 });

    // A new finding, and one of the known ones fixed, in the same commit.
    const fixedOrders = repo.read('src/users.js').replace('`SELECT * FROM orders WHERE id = ${req.query.id}`)', '`SELECT * FROM orders WHERE id = $1`, [req.query.id])');
    repo.write({ 'src/users.js': fixedOrders + NEW_HANDLER });
    repo.commit('items route; orders query parameterized');
    const gated = vibeguard(repo.dir, 'scan', '--baseline', '.vibeguard-baseline.json', '--format', 'json');
    assert.strictEqual(gated.code, 1);
    const itemsLine = repo.read('src/users.js').split('\n').findIndex((l) => l.includes('FROM items')) + 1;
    assert.deepStrictEqual(lines(gated), [`src/users.js:${itemsLine}:sql-injection`]);
    const summary = json(gated).baseline!;
    assert.strictEqual(summary.known, 2);
    const ordersFingerprint = json(all).findings.find((f) => f.line === 8)!.fingerprint;
    assert.deepStrictEqual(summary.gone, [{ file: 'src/users.js', rule: 'sql-injection', fingerprint: ordersFingerprint }], 'the fixed orders query is the gone entry');
    assert.match(gated.stderr, /2 known findings in the baseline \.vibeguard-baseline\.json not shown; 1 of its entries is gone \(fixed or changed\)/);

    const text = vibeguard(repo.dir, 'scan', '--baseline', '.vibeguard-baseline.json');
    assert.strictEqual(text.code, 1);
    assert.match(text.stdout, /^1 problem \(1 error/m);
    assert.match(text.stdout, /1 of its entries is gone/);

    const changed = vibeguard(repo.dir, 'scan', '--changed-since', 'HEAD~1', '--format', 'json');
    assert.strictEqual(changed.code, 1, changed.stderr);
    assert.deepStrictEqual(lines(changed), [`src/users.js:${itemsLine}:sql-injection`]);
    const older = vibeguard(repo.dir, 'scan', '--changed-since', 'HEAD~2', '--format', 'json');
    assert.deepStrictEqual(lines(older), lines(changed), 'lines that only moved are not changed lines');
    const edited = vibeguard(repo.dir, 'scan', '--changed-since', 'HEAD~3', '--format', 'json');
    assert.deepStrictEqual(lines(edited), lines(changed), 'nor are the ones around an insertion');
  });

  it('.vibeguard.json may name the baseline: the CLI applies it, --no-baseline shows everything', () => {
    const dir = project({ 'src/users.js': TWO_QUERIES_JS, '.vibeguard.json': JSON.stringify({ baseline: 'ci/baseline.json' }) });
    assert.strictEqual(vibeguard(dir, 'scan', '--write-baseline', 'ci/baseline.json').code, 0);
    fs.appendFileSync(path.join(dir, 'src/users.js'), NEW_HANDLER);
    const sub = path.join(dir, 'src');
    const r = vibeguard(sub, 'scan', '.', '--format', 'json');
    assert.strictEqual(r.code, 1);
    assert.deepStrictEqual(json(r).findings.map((f) => f.line), [12], 'run from a subfolder, the baseline still matches');
    assert.strictEqual(json(r).baseline!.file, '../ci/baseline.json');
    assert.strictEqual(json(vibeguard(sub, 'scan', '.', '--no-baseline', '--format', 'json')).findings.length, 3);
  });

  it('the baseline only counts entries of the files it scanned as gone', () => {
    const dir = project({ 'a/users.js': TWO_QUERIES_JS, 'b/users.js': TWO_QUERIES_JS });
    assert.strictEqual(vibeguard(dir, 'scan', '--write-baseline', 'base.json').code, 0);
    const onlyA = json(vibeguard(dir, 'scan', 'a', '--baseline', 'base.json', '--format', 'json'));
    assert.deepStrictEqual({ known: onlyA.baseline!.known, gone: onlyA.baseline!.gone.length }, { known: 2, gone: 0 });
    fs.rmSync(path.join(dir, 'b/users.js'));
    const deleted = json(vibeguard(dir, 'scan', '--baseline', 'base.json', '--format', 'json'));
    assert.deepStrictEqual(deleted.baseline!.gone.map((e) => e.file), ['b/users.js', 'b/users.js'], 'a deleted file takes its entries with it');
  });

  it('SARIF with a baseline: new results only, marked new, and the baseline summary as a notification', () => {
    const dir = project({ 'users.js': TWO_QUERIES_JS });
    vibeguard(dir, 'scan', '--write-baseline', 'b.json');
    fs.appendFileSync(path.join(dir, 'users.js'), NEW_HANDLER);
    const log = JSON.parse(vibeguard(dir, 'scan', '--baseline', 'b.json', '--format', 'sarif').stdout);
    const run = log.runs[0];
    assert.deepStrictEqual(run.results.map((x: { baselineState: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => [x.baselineState, x.locations[0].physicalLocation.region.startLine]), [['new', 12]]);
    assert.ok(run.invocations[0].toolExecutionNotifications.some((n: { message: { text: string } }) => /baseline b\.json: 2 known findings left out; 0 of its entries gone/.test(n.message.text)));
  });

  describe('--changed-since', () => {
    it('counts uncommitted edits and untracked files, not ignored ones, and skips unchanged files', () => {
      const repo = new GitRepo({ 'users.js': TWO_QUERIES_JS, 'old.js': TWO_QUERIES_JS, '.gitignore': 'build/\n' });
      repo.commit('start');
      repo.write({ 'users.js': TWO_QUERIES_JS.replace('WHERE id =', 'WHERE order_id ='), 'fresh.py': SEARCH_PY, 'build/out.js': TWO_QUERIES_JS });
      const r = vibeguard(repo.dir, 'scan', '--changed-since', 'HEAD', '--format', 'json');
      assert.deepStrictEqual(lines(r), ['fresh.py:5:sql-injection', 'users.js:8:sql-injection']);
    });

    it('a line next to a deletion counts as changed: removing a check can make the code after it unsafe', () => {
      const guarded = TWO_QUERIES_JS.replace("  const { rows } = await pool.query(`SELECT * FROM orders", "  if (!/^\\d+$/.test(req.query.id)) throw new Error('bad id');\n  const { rows } = await pool.query(`SELECT * FROM orders");
      const repo = new GitRepo({ 'users.js': guarded });
      repo.commit('guarded');
      repo.write({ 'users.js': TWO_QUERIES_JS });
      assert.deepStrictEqual(lines(vibeguard(repo.dir, 'scan', '--changed-since', 'HEAD', '--format', 'json')), ['users.js:8:sql-injection']);
    });

    it('compares with the merge base: what the branch changed, not what the target branch did meanwhile', () => {
      const repo = new GitRepo({ 'users.js': TWO_QUERIES_JS });
      repo.commit('start');
      repo.git('checkout', '-q', '-b', 'feature');
      repo.write({ 'items.js': `const { Pool } = require('pg');\nconst pool = new Pool();\n${NEW_HANDLER}` });
      repo.commit('feature');
      repo.git('checkout', '-q', 'main');
      repo.write({ 'users.js': `// main moved on\n${TWO_QUERIES_JS}` });
      repo.commit('main moves');
      repo.git('checkout', '-q', 'feature');
      assert.deepStrictEqual(lines(vibeguard(repo.dir, 'scan', '--changed-since', 'main', '--format', 'json')), ['items.js:4:sql-injection']);
    });

    it('exit 2 with a clear message for an unknown ref or outside a git work tree', () => {
      const repo = new GitRepo({ 'users.js': TWO_QUERIES_JS });
      repo.commit('start');
      const unknown = vibeguard(repo.dir, 'scan', '--changed-since', 'no-such-branch');
      assert.strictEqual(unknown.code, 2);
      assert.strictEqual(unknown.stdout, '');
      assert.match(unknown.stderr, /^vibeguard: --changed-since: unknown git ref "no-such-branch"/);
      const dashed = vibeguard(repo.dir, 'scan', '--changed-since=--output=/tmp/x');
      assert.strictEqual(dashed.code, 2, 'a ref that looks like an option is still just an unknown ref');
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-nogit-'));
      try {
        fs.writeFileSync(path.join(outside, 'a.js'), TWO_QUERIES_JS);
        const r = vibeguard(outside, 'scan', '--changed-since', 'HEAD');
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /^vibeguard: --changed-since needs a git work tree, and .* is not in one/);
      } finally { fs.rmSync(outside, { recursive: true, force: true }); }
    });
  });

  it('--help documents the gating options and exit code 2 for their bad input', () => {
    const help = vibeguard(project({}), '--help').stdout;
    for (const opt of ['--baseline <file>', '--no-baseline', '--write-baseline <file>', '--changed-since <ref>', '--shard <K/N>']) assert.ok(help.includes(opt), opt);
    assert.match(help, /2 usage or configuration error, an unusable baseline file, an unknown git\s+ref or no git work tree/);
  });

  describe('invalid input: exit 2 and a message naming the problem', () => {
    const cases: [string, string | undefined, string[], RegExp][] = [
      ['missing baseline', undefined, ['--baseline', 'nope.json'], /baseline file not found: nope\.json/],
      ['not JSON', '{ "version": 1, ', ['--baseline', 'b.json'], /b\.json: not a baseline \(invalid JSON/],
      ['wrong version', '{"version": 7, "findings": []}', ['--baseline', 'b.json'], /b\.json: version: expected 1 \(got 7\)/],
      ['bad fingerprint', '{"version": 1, "findings": [{"file": "a.js", "rule": "sql-injection", "fingerprint": "xyz"}]}', ['--baseline', 'b.json'], /b\.json: findings\[0\]\.fingerprint: expected 32 lower-case hex digits/],
      ['baseline and no-baseline', undefined, ['--baseline', 'b.json', '--no-baseline'], /contradict/],
      ['write with changed-since', undefined, ['--write-baseline', 'b.json', '--changed-since', 'HEAD'], /--write-baseline records every finding; drop --changed-since/],
      ['write with shard', undefined, ['--write-baseline', 'b.json', '--shard', '1/2'], /without --shard/],
      ['empty baseline path', undefined, ['--baseline='], /--baseline needs a value/],
    ];
    for (const [name, content, args, message] of cases) {
      it(name, () => {
        const dir = project({ 'a.js': TWO_QUERIES_JS, ...(content === undefined ? {} : { 'b.json': content }) });
        const r = vibeguard(dir, 'scan', ...args);
        assert.strictEqual(r.code, 2, r.stderr);
        assert.strictEqual(r.stdout, '');
        assert.match(r.stderr, message);
      });
    }

    it('a baseline named by .vibeguard.json that does not exist says how to create it', () => {
      const r = vibeguard(project({ 'a.js': TWO_QUERIES_JS, '.vibeguard.json': '{"baseline": "base.json"}' }), 'scan');
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /baseline file not found: base\.json \(named by "baseline" in the configuration; create it with --write-baseline base\.json, or run with --no-baseline\)/);
    });
  });
});

describe('changed lines from git diff -U0', () => {
  it('reads the new side of each hunk, per file, and skips deleted files', () => {
    const patch = [
      'diff --git a/src/a.js b/src/a.js',
      '--- a/src/a.js',
      '+++ b/src/a.js',
      '@@ -3 +3 @@ x',
      '@@ -10,0 +11,3 @@',
      '@@ -20,2 +22,0 @@',
      'diff --git a/gone.js b/gone.js',
      '--- a/gone.js',
      '+++ /dev/null',
      '@@ -1,5 +0,0 @@',
      'diff --git a/old name.py b/new name.py',
      '--- a/old name.py',
      '+++ "b/caf\\303\\251 \\"q\\".py"',
      '@@ -0,0 +1 @@',
    ].join('\n');
    const got = parseChangedLines(patch);
    assert.deepStrictEqual([...got.keys()], ['src/a.js', 'café "q".py']);
    assert.deepStrictEqual([...got.get('src/a.js')!], [3, 11, 12, 13, 22, 23]);
    assert.deepStrictEqual([...got.get('café "q".py')!], [1]);
  });

  it('unquotes git paths: octal UTF-8 bytes and C escapes', () => {
    assert.strictEqual(unquote('"a\\tb\\\\c"'), 'a\tb\\c');
    assert.strictEqual(unquote('plain name'), 'plain name');
    assert.strictEqual(unquote('"\\346\\227\\245.js"'), '日.js');
  });

  it('a finding counts when any line of its range changed, or when it is about the whole file', () => {
    const f = (line: number, endLine: number, column = 5): FileFinding => ({ rule: 'r', line, endLine, column, endColumn: 9, severity: 'error', message: 'm', fingerprint: '0'.repeat(32) });
    assert.ok(onChangedLines(f(4, 6), new Set([6])));
    assert.ok(!onChangedLines(f(4, 6), new Set([3, 7])));
    assert.ok(onChangedLines(f(4, 4), 'all'));
    assert.ok(!onChangedLines(f(4, 4), undefined));
    assert.ok(onChangedLines({ ...f(1, 1, 1), endColumn: 1 }, new Set([30])));
  });
});
