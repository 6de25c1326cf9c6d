// The result cache's parts in-process: what an analysis records as read (module loader, workspace
// index), entries invalidated by the files they read, eviction of the least recently used, the
// engine fingerprint, and the workspace stamp. The CLI and editor behaviour is in
// cli-cache.test.ts and lsp-scan-cache.test.ts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CodeModel } from '../rules/kit/model/model';
import type { ModuleLoader } from '../rules/kit/model/modules';
import type { WorkspaceIndex } from '../rules/kit/model/workspace';
import { DependencyLog, importProbes, trackLoader, trackWorkspace } from '../server/src/cache/dependencies';
import { engineFingerprint, stableJson } from '../server/src/cache/keys';
import { ResultStore } from '../server/src/cache/store';
import { ContentHashes, workspaceStamp } from '../server/src/cache/workspaceStamp';
import { Engine } from '../server/src/engine';

type R = { n: number };
const isR = (v: unknown): v is R => !!v && typeof (v as R).n === 'number';

describe('result cache parts', () => {
  let dir: string;
  beforeEach(() => { dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vg-result-cache-'))); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const engine = { hash: 'e1', stat: 's1' };
  const open = (file: string, opts: { stamp?: string; limits?: { maxEntries: number; maxBytes: number }; warn?: string[]; fp?: typeof engine } = {}) => ResultStore.open<R>(file, () => opts.fp ?? engine, {
    isResult: isR, hashes: new ContentHashes(), stamp: () => opts.stamp, warn: (m) => opts.warn?.push(m), limits: opts.limits,
  })!;

  describe('recording what an analysis read', () => {
    const model = (file: string) => ({ file }) as CodeModel;
    const loader = (answers: Record<string, string | undefined>): ModuleLoader => ({ load: (_from, spec) => (answers[spec] ? model(answers[spec]!) : undefined) });

    it('an import depends on the file it reached and the folders it was looked for in; an alias on the workspace', () => {
      const log = new DependencyLog();
      trackLoader(loader({ './db': '/w/db.js' }), log).load('/w/a.js', './db', 'js');
      assert.deepStrictEqual(log.done(), { workspace: false, files: ['/w/db.js'], probes: ['/w/db*', '/w/db/index*'] });
      trackLoader(loader({}), log).load('/w/lib/a.js', '../util/missing.js', 'js');
      assert.deepStrictEqual(log.done().probes, ['/w/db*', '/w/db/index*', '/w/util/missing*', '/w/util/missing/index*'], 'a file created there later may answer it');
      assert.strictEqual(log.workspace, false);
      const alias = new DependencyLog();
      trackLoader(loader({ '@/lib/db': '/w/src/lib/db.ts' }), alias).load('/w/a.ts', '@/lib/db', 'js');
      assert.deepStrictEqual(alias.done(), { workspace: true, files: ['/w/src/lib/db.ts'] });
      assert.deepStrictEqual(importProbes('/w/app/views.py', '..billing.stripe', 'py'), ['/w/billing/stripe*', '/w/billing/stripe/__init__*']);
      assert.deepStrictEqual(importProbes('/w/app/views.py', 'app.handlers', 'py')!.slice(0, 4), ['/w/app/app/handlers*', '/w/app/app/handlers/__init__*', '/w/app/handlers*', '/w/app/handlers/__init__*']);
    });

    it('any read of the workspace index marks the result; its root alone does not', () => {
      const index: WorkspaceIndex = { root: '/w', files: () => [], factFiles: () => [], read: () => undefined, perFile: () => undefined, fact: (_k, f) => f() };
      for (const use of [(w: WorkspaceIndex) => w.files('js'), (w: WorkspaceIndex) => w.factFiles(), (w: WorkspaceIndex) => w.read('/w/x'), (w: WorkspaceIndex) => w.perFile('/w/x', 'k', () => 1), (w: WorkspaceIndex) => w.fact('k', () => 1)]) {
        const log = new DependencyLog();
        const tracked = trackWorkspace(index, log);
        assert.strictEqual(tracked.root, '/w');
        assert.strictEqual(log.workspace, false);
        use(tracked);
        assert.strictEqual(log.workspace, true, String(use));
      }
    });

    it('the engine records a route file reading its host, and nothing for a file that reads nothing else', async () => {
      fs.mkdirSync(path.join(dir, 'middleware'));
      fs.writeFileSync(path.join(dir, 'middleware/auth.js'), 'function requireAuth(req, res, next) { next(); }\nmodule.exports = { requireAuth };\n');
      fs.writeFileSync(path.join(dir, 'server.js'), "const express = require('express');\nconst { requireAuth } = require('./middleware/auth');\nconst app = express();\napp.get('/me', requireAuth, (req, res) => res.json(req.user));\napp.use('/billing', require('./billing'));\n");
      const routes = "const express = require('express');\nconst router = express.Router();\nrouter.post('/refunds/:id', async (req, res) => { await stripe.refunds.create({ charge: req.params.id }); res.json({}); });\nmodule.exports = router;\n";
      const e = await Engine.create();
      const log = new DependencyLog();
      e.analyze(path.join(dir, 'billing.js'), routes, { workspaceRoot: dir, dependencies: log });
      assert.strictEqual(log.workspace, true);
      const plain = new DependencyLog();
      e.analyze(path.join(dir, 'math.ts'), 'export const add = (a: number, b: number) => a + b;\n', { workspaceRoot: dir, dependencies: plain });
      assert.deepStrictEqual(plain.done(), { workspace: false, files: [] });
    });
  });

  describe('the store', () => {
    it('an entry is served while the files it read are unchanged, and not after a change, a deletion or a creation', () => {
      const file = path.join(dir, 'cache.json');
      const dep = path.join(dir, 'dep.js');
      const later = path.join(dir, 'later.js');
      fs.writeFileSync(dep, 'a');
      const s = open(file);
      s.put('k', 'c1', { n: 1 }, { workspace: false, files: [dep, later] });
      s.save();
      assert.deepStrictEqual(open(file).get('k', 'c1'), { n: 1 });
      assert.strictEqual(open(file).get('k', 'c2'), undefined, 'other content');
      fs.writeFileSync(dep, 'b');
      assert.strictEqual(open(file).get('k', 'c1'), undefined, 'a read file changed');
      fs.writeFileSync(dep, 'a');
      assert.deepStrictEqual(open(file).get('k', 'c1'), { n: 1 }, 'changed back');
      fs.writeFileSync(later, 'x');
      assert.strictEqual(open(file).get('k', 'c1'), undefined, 'a file that was absent exists now');
    });

    it('an entry that looked for an import is not served after a file of that name appears, whatever else comes and goes', () => {
      const file = path.join(dir, 'cache.json');
      const lib = path.join(dir, 'lib');
      fs.mkdirSync(lib);
      fs.writeFileSync(path.join(lib, 'a.js'), '');
      const s = open(file);
      s.put('k', 'c', { n: 1 }, { workspace: false, files: [], probes: [`${lib}/db*`, `${lib}/db/index*`] });
      s.save();
      fs.writeFileSync(path.join(lib, 'a.js'), 'changed content, same names');
      fs.writeFileSync(path.join(lib, 'other.ts'), '');
      assert.deepStrictEqual(open(file).get('k', 'c'), { n: 1 });
      fs.writeFileSync(path.join(lib, 'db.ts'), '');
      assert.strictEqual(open(file).get('k', 'c'), undefined);
      fs.rmSync(path.join(lib, 'db.ts'));
      fs.mkdirSync(path.join(lib, 'db'));
      assert.strictEqual(open(file).get('k', 'c'), undefined, 'a folder that appeared');
    });

    it('a result that read the workspace is served under the same stamp only, and not stored without one', () => {
      const file = path.join(dir, 'cache.json');
      const s = open(file, { stamp: 'w1' });
      s.put('a', 'c', { n: 1 }, { workspace: true, files: [] });
      open(file, { stamp: undefined }).put('b', 'c', { n: 2 }, { workspace: true, files: [] });
      s.save();
      assert.deepStrictEqual(open(file, { stamp: 'w1' }).get('a', 'c'), { n: 1 });
      assert.strictEqual(open(file, { stamp: 'w2' }).get('a', 'c'), undefined);
      assert.strictEqual(open(file, { stamp: 'w1' }).get('b', 'c'), undefined);
    });

    it('another engine fingerprint empties the cache, silently', () => {
      const file = path.join(dir, 'cache.json');
      const s = open(file);
      s.put('a', 'c', { n: 1 }, { workspace: false, files: [] });
      s.save();
      const warn: string[] = [];
      assert.strictEqual(open(file, { fp: { hash: 'e2', stat: 's2' }, warn }).get('a', 'c'), undefined);
      assert.deepStrictEqual(warn, []);
    });

    it('keeps the most recently used entries within its bounds, and leaves no temporary file', () => {
      const file = path.join(dir, 'cache.json');
      let s = open(file, { limits: { maxEntries: 2, maxBytes: 1e6 } });
      const t0 = Date.now();
      for (const [i, k] of ['a', 'b', 'c'].entries()) {
        s.put(k, 'c', { n: i }, { workspace: false, files: [] });
        (s as unknown as { entries: Map<string, { used: number }> }).entries.get(k)!.used = t0 - 10_000 + i;
      }
      s.save();
      s = open(file);
      assert.deepStrictEqual([s.get('a', 'c'), s.get('b', 'c'), s.get('c', 'c')], [undefined, { n: 1 }, { n: 2 }]);
      const big = open(file, { limits: { maxEntries: 100, maxBytes: 200 } });
      for (let i = 0; i < 20; i++) big.put(`k${i}`, 'c', { n: i }, { workspace: false, files: [] });
      big.save();
      assert.ok(fs.statSync(file).size < 400, `bounded by bytes: ${fs.statSync(file).size}`);
      assert.deepStrictEqual(fs.readdirSync(dir), ['cache.json']);
    });

    it('two runs saving one after the other keep both runs\' new entries', () => {
      const file = path.join(dir, 'cache.json');
      const one = open(file);
      const two = open(file);
      one.put('a', 'c', { n: 1 }, { workspace: false, files: [] });
      two.put('b', 'c', { n: 2 }, { workspace: false, files: [] });
      one.save();
      two.save();
      const s = open(file);
      assert.deepStrictEqual([s.get('a', 'c'), s.get('b', 'c')], [{ n: 1 }, { n: 2 }]);
    });

    it('a served result is a copy: changing it does not change the cache', () => {
      const file = path.join(dir, 'cache.json');
      const s = open(file);
      const r = { n: 1 };
      s.put('a', 'c', r, { workspace: false, files: [] });
      r.n = 5;
      s.get('a', 'c')!.n = 7;
      assert.deepStrictEqual(s.get('a', 'c'), { n: 1 });
    });
  });

  describe('keys', () => {
    it('the engine fingerprint follows the bundle\'s content, and is reused while its files are untouched', () => {
      const script = path.join(dir, 'scanWorker.js');
      fs.writeFileSync(script, 'one');
      fs.writeFileSync(path.join(dir, 'grammar.wasm'), 'g');
      const a = engineFingerprint(script, '1.0.0')!;
      assert.strictEqual(engineFingerprint(script, '1.0.0', { hash: 'kept', stat: a.stat })!.hash, 'kept');
      assert.strictEqual(engineFingerprint(script, '1.0.0', { hash: 'stale', stat: 'other' })!.hash, a.hash, 'recomputed when the stat differs');
      assert.notStrictEqual(engineFingerprint(script, '1.0.1')!.hash, a.hash, 'another version');
      fs.writeFileSync(path.join(dir, 'grammar.wasm'), 'h');
      assert.notStrictEqual(engineFingerprint(script, '1.0.0')!.hash, a.hash, 'another grammar');
      assert.strictEqual(engineFingerprint(path.join(dir, 'missing.js'), '1.0.0'), undefined);
    });

    it('options hash the same whatever the order of their keys', () => {
      assert.strictEqual(stableJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: undefined } }), '{"a":{"d":[1,{"e":2,"f":1}]},"b":1}');
    });

    it('the workspace stamp changes with a source or fact file, not with other files or skipped folders', () => {
      const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
      write('src/a.ts', 'a');
      const stamp = () => workspaceStamp(dir, new ContentHashes())!.value;
      const s0 = stamp();
      write('README.md', 'x');
      write('node_modules/x/index.js', 'x');
      write('.git/config', 'x');
      assert.strictEqual(stamp(), s0);
      for (const rel of ['src/b.py', 'prisma/schema.prisma', 'package-lock.json', 'tsconfig.json', '.github/workflows/cron.yml']) {
        const before = stamp();
        write(rel, 'v1');
        assert.notStrictEqual(stamp(), before, `${rel} added`);
        const added = stamp();
        write(rel, 'v2');
        assert.notStrictEqual(stamp(), added, `${rel} changed`);
      }
    });
  });
});
