// `vibeguard scan --cache`: a re-scan of an unchanged tree is served from the result cache with
// output byte-identical to an uncached scan (text, JSON, SARIF, --fix, baselines), and a cached
// result is not served after a change of the file, of the configuration, of the engine's code, or
// of a workspace fact it read (a host file mounting a router behind auth). A damaged cache is set
// aside with a notice. Needs the bundles (`npm run build`).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { project, removeProjects, requireBuild, vibeguard, VULNERABLE, writeFiles, type Run } from './harness/cli';
import { ROOT } from './harness/fixtures';
import { AUTH, BILLING, server } from './harness/guarded-router';

const CLEAN = 'export const add = (a: number, b: number): number => a + b;\n';
const SECRET = "const stripe = require('stripe')('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');\n";

function tree(): string {
  return project({ 'server.js': server(false), 'billing.js': BILLING, 'middleware/auth.js': AUTH, 'src/users.js': VULNERABLE, 'src/math.ts': CLEAN, 'src/pay.js': SECRET });
}

/** `vibeguard scan` with the result cache in `cache`, and --stats; stdout, and how many files came from the cache. */
function cached(dir: string, cache: string, ...args: string[]): Run & { hits: number; of: number } {
  const r = vibeguard(dir, 'scan', '--fail-on', 'off', '--cache-location', cache, '--stats', ...args);
  const m = /(\d+) of (\d+) files? from the result cache/.exec(r.stderr);
  assert.ok(m, `no cache line in:\n${r.stderr}`);
  return { ...r, hits: Number(m[1]), of: Number(m[2]) };
}

const plain = (dir: string, ...args: string[]) => vibeguard(dir, 'scan', '--fail-on', 'off', ...args);
const cacheFiles = (cache: string) => fs.readdirSync(cache).filter((f) => f.endsWith('.json')).map((f) => path.join(cache, f));

describe('vibeguard scan --cache', function () {
  this.timeout(180_000);
  before(requireBuild);
  after(removeProjects);

  it('a re-scan of an unchanged tree comes from the cache, byte-identical to an uncached scan in every format', () => {
    const dir = tree();
    const cache = path.join(dir, '.cache-test');
    for (const format of ['text', 'json', 'sarif']) {
      const uncached = plain(dir, '--format', format);
      const first = cached(dir, cache, '--format', format);
      const second = cached(dir, cache, '--format', format);
      assert.strictEqual(first.stdout, uncached.stdout, `${format}: first cached run`);
      assert.strictEqual(second.stdout, uncached.stdout, `${format}: second cached run`);
      assert.strictEqual(second.hits, 6, `${format}: every file from the cache\n${second.stderr}`);
      assert.strictEqual(second.of, 6);
      assert.ok(uncached.stdout.length > 100, 'the tree has findings to compare');
    }
    // SARIF carries fix edits (an option of the key): the first SARIF run could not reuse JSON's results.
    assert.strictEqual(cacheFiles(cache).length, 1, 'one cache file per workspace');
  });

  it('exit codes and notices are the same from the cache (syntax errors, failing severities)', () => {
    const dir = project({ 'src/users.js': VULNERABLE, 'src/broken.js': 'function (\n', 'src/math.ts': CLEAN });
    const cache = path.join(os.tmpdir(), `vg-cache-${process.pid}-exit`);
    try {
      const uncached = vibeguard(dir, 'scan');
      const runs = [1, 2].map(() => vibeguard(dir, 'scan', '--cache-location', cache));
      for (const r of runs) {
        assert.strictEqual(r.code, uncached.code);
        assert.strictEqual(r.stdout, uncached.stdout);
        assert.strictEqual(r.stderr, uncached.stderr);
      }
      assert.match(uncached.stderr, /syntax error/);
      // A file too large to analyse is answered without a worker, as a worker answers it.
      writeFiles(dir, { '.vibeguard.json': '{"maxFileSizeKb": 2}', 'src/big.js': `// ${'x'.repeat(4000)}\n` });
      const big = vibeguard(dir, 'scan');
      assert.match(big.stderr, /src\/big\.js: .*above the 2 KB analysis limit/);
      vibeguard(dir, 'scan', '--cache-location', cache);
      const warm = vibeguard(dir, 'scan', '--cache-location', cache);
      assert.deepStrictEqual([warm.code, warm.stdout, warm.stderr], [big.code, big.stdout, big.stderr]);
      assert.match(vibeguard(dir, 'scan', '--cache-location', cache, '--stats').stderr, /\b0 jobs\b/, 'no worker started');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('a changed file is analysed again; the others still come from the cache', () => {
    const dir = tree();
    const cache = path.join(dir, '.cache-test');
    cached(dir, cache, '--format', 'json');
    fs.writeFileSync(path.join(dir, 'src/math.ts'), CLEAN + VULNERABLE);
    const after = cached(dir, cache, '--format', 'json');
    assert.strictEqual(after.stdout, plain(dir, '--format', 'json').stdout);
    assert.ok(JSON.parse(after.stdout).findings.some((f: { file: string }) => f.file === 'src/math.ts'), 'the new finding of the changed file is reported');
    assert.ok(after.hits <= 5 && after.hits >= 2, `the changed file was analysed, unrelated files were not: ${after.hits}`);
  });

  it('a changed configuration (severity, rule off, test files) invalidates the cached results', () => {
    const dir = tree();
    const cache = path.join(dir, '.cache-test');
    const base = cached(dir, cache, '--format', 'json');
    for (const config of [
      { rules: { 'sql-injection': 'warning' } },
      { rules: { 'hardcoded-secret': 'off' } },
      { testFiles: { patterns: ['src/**'], findings: 'all' } },
    ]) {
      fs.writeFileSync(path.join(dir, '.vibeguard.json'), JSON.stringify(config));
      const r = cached(dir, cache, '--format', 'json');
      assert.strictEqual(r.stdout, plain(dir, '--format', 'json').stdout, JSON.stringify(config));
      assert.notStrictEqual(r.stdout, base.stdout, `${JSON.stringify(config)} changes the findings`);
      assert.strictEqual(r.hits, 0, `nothing analysed under another configuration is reused: ${JSON.stringify(config)}`);
    }
  });

  it('a workspace fact another file depends on (a host mounting the router behind auth) invalidates that file', () => {
    const dir = tree();
    const cache = path.join(dir, '.cache-test');
    const before = cached(dir, cache, '--format', 'json');
    const auth = (r: Run) => JSON.parse(r.stdout).findings.filter((f: { rule: string; file: string }) => f.rule === 'missing-auth' && f.file === 'billing.js');
    assert.strictEqual(auth(before).length, 2, before.stdout);
    fs.writeFileSync(path.join(dir, 'server.js'), server(true));
    const after = cached(dir, cache, '--format', 'json');
    assert.strictEqual(auth(after).length, 0, 'billing.js is guarded by its host now');
    assert.strictEqual(after.stdout, plain(dir, '--format', 'json').stdout);
    // A fact file counts too: a lockfile appearing is a workspace change for results that read the workspace.
    const again = cached(dir, cache, '--format', 'json');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    const withLock = cached(dir, cache, '--format', 'json');
    assert.ok(withLock.hits < again.hits, `results that read the workspace are analysed again: ${again.hits} → ${withLock.hits}`);
  });

  it('a change of the engine code (another rule version) empties the cache', () => {
    // A private copy of the CLI, whose worker bundle gets one more byte.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-cache-engine-'));
    try {
      fs.cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true, filter: (src) => !src.includes('.v8-cache') });
      fs.cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(copy, 'package.json'));
      const dir = tree();
      const cache = path.join(dir, '.cache-test');
      const reference = cached(dir, cache, '--format', 'json').stdout;
      // The copy is run through its own bin: the same code at another path and time.
      const viaCopy = () => {
        const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'vibeguard.js'), 'scan', '--fail-on', 'off', '--cache-location', cache, '--stats', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        const m = /(\d+) of \d+ files from the result cache/.exec(r.stderr);
        assert.ok(m, r.stderr);
        return { stdout: r.stdout, hits: Number(m[1]) };
      };
      assert.strictEqual(viaCopy().hits, 6, 'an identical build keeps the cache');
      fs.appendFileSync(path.join(copy, 'dist', 'scanWorker.js'), '\n// another rule version\n');
      const changed = viaCopy();
      assert.strictEqual(changed.hits, 0, 'results of other rule code are not served');
      assert.strictEqual(changed.stdout, reference);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('--fix and baselines work on cached results exactly as on fresh ones', () => {
    const make = () => project({ 'src/users.js': VULNERABLE, 'src/math.ts': CLEAN, 'src/pay.js': SECRET });
    const fresh = make();
    const warm = make();
    const cache = path.join(warm, '.cache-test');
    cached(warm, cache);
    const freshFix = plain(fresh, '--fix');
    const warmFix = cached(warm, cache, '--fix');
    assert.strictEqual(warmFix.hits, 3);
    assert.strictEqual(warmFix.stdout, freshFix.stdout);
    assert.notStrictEqual(fs.readFileSync(path.join(warm, 'src/users.js'), 'utf8'), VULNERABLE, 'the fix was applied');
    for (const f of ['src/users.js', 'src/pay.js']) {
      assert.strictEqual(fs.readFileSync(path.join(warm, f), 'utf8'), fs.readFileSync(path.join(fresh, f), 'utf8'), f);
    }
    // After the fix the files changed: their results are analysed again.
    const after = cached(warm, cache, '--format', 'json');
    assert.strictEqual(after.stdout, plain(warm, '--format', 'json').stdout);

    const gated = make();
    const gcache = path.join(gated, '.cache-test');
    assert.strictEqual(vibeguard(gated, 'scan', '--cache-location', gcache, '--write-baseline', 'baseline.json').code, 0);
    writeFiles(gated, { 'src/new.js': VULNERABLE.replace('/users', '/accounts') });
    const uncached = vibeguard(gated, 'scan', '--baseline', 'baseline.json', '--format', 'json');
    const warmGate = vibeguard(gated, 'scan', '--baseline', 'baseline.json', '--format', 'json', '--cache-location', gcache);
    assert.strictEqual(warmGate.stdout, uncached.stdout);
    assert.strictEqual(warmGate.code, uncached.code);
    assert.strictEqual(JSON.parse(warmGate.stdout).findings.length, 1, 'only the new file is reported');
  });

  it('a damaged, foreign or unreadable cache file is set aside with a notice and rebuilt', () => {
    const dir = tree();
    const cache = path.join(dir, '.cache-test');
    const reference = plain(dir, '--format', 'json').stdout;
    cached(dir, cache, '--format', 'json');
    const [file] = cacheFiles(cache);
    const damage: [string, string | Buffer, RegExp][] = [
      ['truncated', fs.readFileSync(file).subarray(0, 200), /damaged \(not JSON\)/],
      ['binary', Buffer.from([0, 255, 1, 2]), /damaged \(not JSON\)/],
      ['another format version', JSON.stringify({ format: 'vibeguard-result-cache', version: 999, entries: {} }), /another version of Vibe Guard/],
      ['not a cache', '[1,2,3]', /not a Vibe Guard result cache/],
      ['bad entries', JSON.stringify({ format: 'vibeguard-result-cache', version: 1, engine: { hash: 'x', stat: 'y' }, entries: [] }), /missing parts/],
    ];
    for (const [what, content, notice] of damage) {
      fs.writeFileSync(file, content);
      const r = cached(dir, cache, '--format', 'json');
      assert.strictEqual(r.code, 0, `${what}: ${r.stderr}`);
      assert.match(r.stderr, notice, what);
      assert.strictEqual(r.stdout, reference, what);
      const again = cached(dir, cache, '--format', 'json');
      assert.strictEqual(again.hits, 6, `${what}: rebuilt`);
      assert.doesNotMatch(again.stderr, /result cache .*(damaged|rebuilt)/, what);
    }
    // Entries of the right file format but the wrong shape are misses, never a crash.
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const e of Object.values(data.entries) as { result: { findings: unknown } }[]) e.result.findings = [{ rule: 3 }];
    fs.writeFileSync(file, JSON.stringify(data));
    const r = cached(dir, cache, '--format', 'json');
    assert.strictEqual(r.stdout, reference);
    assert.strictEqual(r.hits, 0);
  });

  it('an unwritable cache location is a notice, not a failure; --no-cache turns the cache off', () => {
    const dir = tree();
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, 'x');
    const r = cached(dir, blocker, '--format', 'json');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /could not write the result cache/);
    assert.strictEqual(r.stdout, plain(dir, '--format', 'json').stdout);
    const off = vibeguard(dir, 'scan', '--fail-on', 'off', '--cache', '--no-cache', '--stats', '--cache-location', path.join(dir, 'c2'));
    assert.doesNotMatch(off.stderr, /result cache/);
    assert.ok(!fs.existsSync(path.join(dir, 'c2')));
  });

  it('the default location is node_modules/.cache/vibeguard when the project has node_modules', () => {
    const dir = tree();
    fs.mkdirSync(path.join(dir, 'node_modules'));
    const r = vibeguard(dir, 'scan', '--cache', '--fail-on', 'off');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(cacheFiles(path.join(dir, 'node_modules', '.cache', 'vibeguard')).length, 1);
    assert.match(vibeguard(dir, 'scan', '--help').stdout, /--cache-location <dir>/);
  });
});
