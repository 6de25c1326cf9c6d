// --shard K/N: N CI jobs scan disjoint parts of the files that together make the whole scan; a
// file's part depends on its path only (files added elsewhere never move it); each part's SARIF is
// its own code-scanning category; baselines and changed lines work per part.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseShard, shardOf } from '../server/src/cli/shard';
import { project, removeProjects, requireBuild, vibeguard, type Run } from './harness/cli';
import { GitRepo } from './harness/git';

const SQL = (table: string) => `const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/${table}', (req, res) => pool.query(\`SELECT * FROM ${table} WHERE id = \${req.query.id}\`));\n`;
const files = (n: number, prefix = 'm'): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i % 3}/f${i}.js`, SQL(`t${i}`)]));
const found = (r: Run): string[] => (JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file);

describe('--shard', function () {
  this.timeout(120_000);
  before(requireBuild);
  after(removeProjects);

  it('the parts are disjoint and together give the whole scan, in the same order', () => {
    const dir = project(files(24));
    const whole = found(vibeguard(dir, 'scan', '--format', 'json'));
    assert.strictEqual(whole.length, 24);
    const parts = [1, 2, 3].map((k) => found(vibeguard(dir, 'scan', '--shard', `${k}/3`, '--format', 'json')));
    for (const p of parts) assert.ok(p.length > 0 && p.length < 24, `every part has some files (${parts.map((x) => x.length)})`);
    assert.deepStrictEqual(parts.flat().sort(), [...whole].sort());
    assert.strictEqual(new Set(parts.flat()).size, 24);
    for (const p of parts) assert.deepStrictEqual(p, whole.filter((f) => p.includes(f)), 'each part keeps the path order');
  });

  it('adding files never moves the others between parts', () => {
    const dir = project(files(20));
    const before = [1, 2, 3, 4].map((k) => found(vibeguard(dir, 'scan', '--shard', `${k}/4`, '--format', 'json')));
    for (const [name, text] of Object.entries(files(15, 'new'))) {
      fs.mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const after = [1, 2, 3, 4].map((k) => found(vibeguard(dir, 'scan', '--shard', `${k}/4`, '--format', 'json')));
    before.forEach((p, k) => assert.deepStrictEqual(after[k].filter((f) => !f.startsWith('new')), p, `part ${k + 1}`));
  });

  it('each part\'s SARIF has its own category (automationDetails.id)', () => {
    const dir = project(files(6));
    const id = (args: string[]) => JSON.parse(vibeguard(dir, 'scan', '--format', 'sarif', ...args).stdout).runs[0].automationDetails.id;
    assert.strictEqual(id([]), 'vibeguard/');
    assert.strictEqual(id(['--shard', '1/2']), 'vibeguard/shard-1-of-2/');
    assert.strictEqual(id(['--shard', '2/2']), 'vibeguard/shard-2-of-2/');
  });

  it('a baseline counts as gone only the entries of the part\'s own files', () => {
    const dir = project(files(12));
    assert.strictEqual(vibeguard(dir, 'scan', '--write-baseline', 'base.json').code, 0);
    const gone = (k: number) => JSON.parse(vibeguard(dir, 'scan', '--shard', `${k}/2`, '--baseline', 'base.json', '--format', 'json').stdout).baseline;
    const [a, b] = [gone(1), gone(2)];
    assert.strictEqual(a.known + b.known, 12);
    assert.deepStrictEqual([a.gone, b.gone], [[], []]);
    const victim = Object.keys(files(12)).find((f) => shardOf(f, 2) === 1)!;
    fs.rmSync(path.join(dir, victim));
    assert.deepStrictEqual([gone(1).gone.map((e: { file: string }) => e.file), gone(2).gone], [[victim], []]);
  });

  it('combines with --changed-since', () => {
    const repo = new GitRepo(files(10));
    repo.commit('start');
    const touched = Object.keys(files(10)).filter((f, i) => i % 2 === 0);
    for (const f of touched) fs.appendFileSync(path.join(repo.dir, f), SQL('extra').split('\n')[2] + '\n');
    const parts = [1, 2].map((k) => found(vibeguard(repo.dir, 'scan', '--shard', `${k}/2`, '--changed-since', 'HEAD', '--format', 'json')));
    assert.deepStrictEqual(parts.flat().sort(), [...touched].sort(), 'only the appended lines, each once');
  });

  it('a bad spec is a usage error (exit 2)', () => {
    const dir = project({ 'a.js': SQL('a') });
    for (const spec of ['0/2', '3/2', '1/0', 'a/b', '1', '1/257']) {
      const r = vibeguard(dir, 'scan', '--shard', spec);
      assert.strictEqual(r.code, 2, spec);
      assert.match(r.stderr, /^vibeguard: --shard/, spec);
    }
    assert.deepStrictEqual(parseShard('2/4'), { index: 2, count: 4 });
  });

  it('spreads files evenly enough to be worth it', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf(`src/module${i}/index.ts`, 4) - 1]++;
    for (const c of counts) assert.ok(c > 900 && c < 1100, `${counts}`);
  });
});
