// The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit tool (Debian's
// package, installed when missing unless VIBEGUARD_NO_APT=1) in a scratch repository, the way a
// team uses it: pre-commit clones this repository at a commit (here: a snapshot of the working
// tree, so uncommitted changes are what is tested), installs the hook's Node environment
// (`language: node` with the system's node and npm: `npm install`, `npm pack`, `npm install -g`)
// and runs `vibeguard scan` on the staged files at each `git commit`.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { languageOf } from '../server/src/languages';
import { ROOT } from './harness/fixtures';
import { loadYaml } from './harness/yaml';
import { GitRepo } from './harness/git';
import { removeProjects, vibeguard } from './harness/cli';
import { TWO_QUERIES_JS } from './harness/samples';
import { aptInstall, which } from './systems/util';

const CLEAN = 'export const add = (a, b) => a + b;\n';

async function ensurePreCommit(): Promise<void> {
  if (which('pre-commit')) return;
  if (process.env.VIBEGUARD_NO_APT === '1') {
    throw new Error('pre-commit is not installed and VIBEGUARD_NO_APT=1 forbids installing it; run: apt-get install pre-commit');
  }
  await aptInstall(['pre-commit'], 'the pre-commit hook test needs the pre-commit tool');
  if (!which('pre-commit')) throw new Error('apt-get installed pre-commit but it is not on PATH');
}

/** The working tree as a commit would have it (tracked and untracked files git does not ignore), in a repository of its own. */
function snapshotRepository(dest: string): string {
  const list = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (list.status !== 0) throw new Error(`the pre-commit test needs ${ROOT} to be a git checkout: ${list.stderr}`);
  for (const rel of list.stdout.split('\0').filter(Boolean)) {
    const from = path.join(ROOT, rel);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet in the index
    fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dest, rel));
  }
  const repo = new GitRepo();
  fs.cpSync(dest, repo.dir, { recursive: true });
  repo.commit('snapshot of the working tree');
  return repo.dir;
}

describe('pre-commit hook definition', () => {
  it('selects exactly the files the engine analyses', () => {
    const [hook] = loadYaml(path.join(ROOT, '.pre-commit-hooks.yaml')) as { id: string; files: string; exclude: string; language: string }[];
    assert.deepStrictEqual([hook.id, hook.language], ['vibeguard', 'node']);
    // pre-commit matches with Python's re.search; these patterns use nothing JavaScript reads differently.
    const py = (re: string) => new RegExp(re.replace(/^\(\?i\)/, ''), re.startsWith('(?i)') ? 'i' : '');
    const selected = (name: string) => py(hook.files).test(name) && !py(hook.exclude).test(name);
    const names = ['a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'a.ts', 'a.tsx', 'a.mts', 'a.cts', 'A.TS', 'a.py', 'a.pyi', 'a.d.ts', 'a.d.mts', 'x.D.TS', 'a.json', 'a.md', 'a.pyc', 'a.js.map', 'Makefile', 'a.vue'];
    for (const n of names) assert.strictEqual(selected(n), languageOf(n) !== undefined, n);
  });
});

describe('pre-commit hook (the real pre-commit tool)', function () {
  // The first commit installs the hook's environment: npm install and a build, about a minute.
  this.timeout(20 * 60_000);
  let hookRepo: string;
  let work: GitRepo;
  let home: string;
  const timings: string[] = [];

  before(async () => {
    await ensurePreCommit();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-pre-commit-home-'));
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-pre-commit-src-'));
    try { hookRepo = snapshotRepository(copy); } finally { fs.rmSync(copy, { recursive: true, force: true }); }
    const rev = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: hookRepo, encoding: 'utf8' }).stdout.trim();
    work = new GitRepo({ '.pre-commit-config.yaml': `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: vibeguard\n` });
    const install = preCommit(['install']);
    assert.strictEqual(install.status, 0, install.stderr + install.stdout);
  });

  after(() => {
    if (home) fs.rmSync(home, { recursive: true, force: true });
    removeProjects();
    if (timings.length) console.log(`      pre-commit timings: ${timings.join(', ')}`);
  });

  const env = () => ({ ...process.env, PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' });

  function preCommit(args: string[]) {
    return spawnSync('pre-commit', args, { cwd: work.dir, env: env(), encoding: 'utf8' });
  }

  /** `git commit` of what is staged, with the hook; the output is pre-commit's. */
  function commit(message: string) {
    const t0 = Date.now();
    const r = spawnSync('git', ['commit', '-m', message], { cwd: work.dir, env: env(), encoding: 'utf8' });
    timings.push(`${message}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  }

  const commits = () => Number(work.git('rev-list', '--count', '--all').trim() || 0);
  const add = (files: Record<string, string>) => { work.write(files); work.git('add', ...Object.keys(files)); };

  it('lets a clean commit through', () => {
    add({ 'src/math.js': CLEAN, '.pre-commit-config.yaml': work.read('.pre-commit-config.yaml') });
    const r = commit('clean code');
    assert.strictEqual(r.code, 0, r.out);
    assert.match(r.out, /Vibe Guard\.+Passed/);
    assert.strictEqual(commits(), 1);
  });

  it('refuses a commit that adds a SQL injection, and says where', () => {
    add({ 'src/users.js': TWO_QUERIES_JS });
    const r = commit('users route');
    assert.notStrictEqual(r.code, 0, r.out);
    assert.match(r.out, /Vibe Guard\.+Failed/);
    assert.match(r.out, /src\/users\.js\n\s+4:\d+\s+error\s+SQL passed to pool\.query .* sql-injection/);
    assert.strictEqual(commits(), 1, 'nothing was committed');
    work.git('reset', '-q');
    fs.rmSync(path.join(work.dir, 'src/users.js'));
  });

  it('checks the staged files only: an unstaged vulnerable edit does not block the commit of a clean version', () => {
    add({ 'src/report.js': CLEAN });
    fs.writeFileSync(path.join(work.dir, 'src/report.js'), TWO_QUERIES_JS);
    fs.writeFileSync(path.join(work.dir, 'src/untracked.js'), TWO_QUERIES_JS);
    const r = commit('report module');
    assert.strictEqual(r.code, 0, r.out);
    assert.strictEqual(work.git('show', 'HEAD:src/report.js'), CLEAN);
    assert.strictEqual(fs.readFileSync(path.join(work.dir, 'src/report.js'), 'utf8'), TWO_QUERIES_JS, 'pre-commit put the unstaged edit back');
    fs.rmSync(path.join(work.dir, 'src/report.js'));
    fs.rmSync(path.join(work.dir, 'src/untracked.js'));
    work.git('checkout', '--', '.');
  });

  it('honours the baseline named by .vibeguard.json: known findings pass, a new one is refused', () => {
    work.write({ 'legacy/users.js': TWO_QUERIES_JS, '.vibeguard.json': JSON.stringify({ baseline: '.vibeguard-baseline.json' }) });
    assert.strictEqual(vibeguard(work.dir, 'scan', 'legacy', '--write-baseline', '.vibeguard-baseline.json').code, 0);
    work.git('add', '-A');
    const adopted = commit('adopt Vibe Guard with a baseline');
    assert.strictEqual(adopted.code, 0, adopted.out);
    add({ 'legacy/users.js': `// touched\n${TWO_QUERIES_JS}` });
    const touched = commit('touch legacy code');
    assert.strictEqual(touched.code, 0, touched.out);
    add({ 'legacy/users.js': `${work.read('legacy/users.js')}app.get('/x', (req, res) => pool.query('DELETE FROM x WHERE id = ' + req.query.id));\n` });
    const added = commit('new query in legacy code');
    assert.notStrictEqual(added.code, 0, added.out);
    assert.match(added.out, /legacy\/users\.js\n\s+12:\d+\s+error/);
    assert.match(added.out, /2 known findings in the baseline \.vibeguard-baseline\.json not shown/);
  });
});
