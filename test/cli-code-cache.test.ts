// The CLI's own bundle is loaded through a V8 code cache (bin/load-cached.js), which must survive
// the V8 flags a scan with a worker on every core sets (cli/tiering.ts): a cache made after that
// change would be rejected, and rewritten, on every run.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { project, removeProjects, requireBuild, VULNERABLE } from './harness/cli';
import { ROOT } from './harness/fixtures';
import { availableCores } from '../server/src/cli/tiering';

describe('CLI code cache', function () {
  this.timeout(60_000);
  let copy: string;
  before(() => {
    requireBuild();
    // A private copy of the package, so that its cache folder starts empty.
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-code-cache-'));
    fs.cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true, filter: (src) => !src.includes('.v8-cache') });
    fs.cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(copy, 'package.json'));
  });
  after(() => { fs.rmSync(copy, { recursive: true, force: true }); removeProjects(); });

  const cacheDir = () => path.join(copy, 'dist', '.v8-cache', 'v8-defaults');
  const cliCache = () => (fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()).filter((f) => f.startsWith('cli.js-')) : []).map((f) => path.join(cacheDir(), f));
  const scan = (dir: string, jobs: number, env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'vibeguard.js'), 'scan', '--format', 'json', '--jobs', String(jobs)], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', VIBEGUARD_V8_DEFAULT_TIERING: '', ...env } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('is written once, by a scan with a worker on every core, and then kept by any scan', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 4; i++) files[`f${i}.js`] = VULNERABLE;
    const dir = project(files);
    const jobs = Math.max(2, availableCores());
    const first = scan(dir, jobs);
    assert.strictEqual(first.code, 1, first.stderr);
    const [cache] = cliCache();
    assert.ok(cache, 'the cache is written at the end of the first run');
    const written = fs.statSync(cache).mtimeMs;
    for (const j of [jobs, 1, jobs]) {
      const again = scan(dir, j);
      assert.strictEqual(again.stdout, first.stdout);
      assert.strictEqual(again.code, first.code);
      assert.deepStrictEqual(cliCache(), [cache]);
      assert.strictEqual(fs.statSync(cache).mtimeMs, written, `a --jobs ${j} run rewrote the cache: V8 rejected it`);
    }
  });

  it('a damaged cache is replaced and the command runs as usual; VIBEGUARD_NO_CODE_CACHE=1 leaves it alone', () => {
    const dir = project({ 'a.js': VULNERABLE });
    const reference = scan(dir, 1);
    const [cache] = cliCache();
    assert.ok(cache);
    fs.writeFileSync(cache, 'not a code cache');
    const damaged = scan(dir, 1);
    assert.strictEqual(damaged.stdout, reference.stdout);
    assert.strictEqual(damaged.code, reference.code);
    assert.notStrictEqual(fs.readFileSync(cache, 'utf8'), 'not a code cache');
    fs.rmSync(cache);
    assert.strictEqual(scan(dir, 1, { VIBEGUARD_NO_CODE_CACHE: '1' }).stdout, reference.stdout);
    assert.deepStrictEqual(cliCache(), []);
  });
});
