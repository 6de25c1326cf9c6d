// The language server's analysis threads: a job that never checks its budget or cancellation
// costs its thread, not the server (the thread is replaced and the next job runs), and threads
// that cannot start make jobs fail with the reason instead of waiting forever.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisService, JobCancelled, JobFailed } from '../server/src/analysis/service';
import { DEFAULT_CONFIG } from '../server/src/config';
import type { JobRequest } from '../server/src/analysis/messages';
import { codeCacheFile } from '../server/src/codeCache';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-service-'));
/** A worker that answers every job at once, except a document whose text is `spin`: that one never returns. */
function fakeWorker(startup = "parentPort.postMessage({ type: 'ready' });"): string {
  const file = path.join(dir, `w${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, `const { parentPort } = require('worker_threads');
${startup}
parentPort.on('message', (m) => {
  if (m.type !== 'job') return;
  if (m.job.doc && m.job.doc.text === 'spin') for (;;) {}
  parentPort.postMessage({ type: 'done', id: m.id, result: { kind: 'analyze', result: { findings: [], notices: [] } } });
});`);
  return file;
}

/** A worker that answers every job with its thread id, so a test sees which thread ran it. */
function threadWorker(): string {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.js`);
  fs.writeFileSync(file, `const { parentPort, threadId } = require('worker_threads');
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => {
  if (m.type === 'job') parentPort.postMessage({ type: 'done', id: m.id, result: { kind: 'analyze', result: { findings: [], notices: [], thread: threadId } } });
});`);
  return file;
}

const docJob = (uri: string): JobRequest => ({ kind: 'analyze', doc: { uri, file: uri.slice(7), version: 1, languageId: 'javascript', lang: 'js', text: 'x' }, config: DEFAULT_CONFIG });
const threadOf = async (p: Promise<unknown>) => ((await p) as { result: { thread: number } }).result.thread;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const job = (text: string): JobRequest => ({ kind: 'analyze', doc: { uri: 'file:///a.js', file: '/a.js', version: 1, languageId: 'javascript', lang: 'js', text }, config: DEFAULT_CONFIG });

describe('analysis threads', function () {
  this.timeout(30_000);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a job that never stops costs its thread, not the server', async () => {
    const service = new AnalysisService({ workerScript: fakeWorker(), min: 1, max: 1, graceMs: 200 });
    try {
      const t0 = Date.now();
      await assert.rejects(service.run(job('spin'), 100), (e) => e instanceof JobFailed && /time budget of 100 ms/.test(e.message));
      assert.ok(Date.now() - t0 < 10_000);
      assert.strictEqual((await service.run(job('ok'), 100)).kind, 'analyze', 'a new thread took over');
      // A cancelled job that does not stop is ended the same way.
      let cancel!: () => void;
      const token = { isCancellationRequested: false, onCancellationRequested: (cb: () => void) => { cancel = cb; } };
      const spinning = service.run(job('spin'), 60_000, 'file:///a.js', token);
      setTimeout(() => cancel(), 50);
      await assert.rejects(spinning, (e) => e instanceof JobCancelled);
      assert.strictEqual((await service.run(job('ok'), 100)).kind, 'analyze');
    } finally {
      service.dispose();
    }
  });

  it('keeps one thread while idle, and starts another for a job that finds it held by a slow document', async () => {
    const service = new AnalysisService({ workerScript: fakeWorker(), graceMs: 200 });
    try {
      const threads = () => (service as unknown as { slots: unknown[] }).slots.length;
      assert.strictEqual(threads(), 1, 'one idle thread by default');
      service.run(job('spin'), 60_000, 'file:///spin.js').catch(() => undefined);
      assert.strictEqual((await service.run(docJob('file:///next.js'), 5_000)).kind, 'analyze', 'answered while the first thread spins');
      assert.strictEqual(threads(), 2);
    } finally {
      service.dispose();
    }
  });

  it('saves the V8 code cache once a thread has run a few jobs, and later threads start from it', async function () {
    const script = fakeWorker();
    const cache = codeCacheFile(script);
    if (!cache) return this.skip();
    const service = new AnalysisService({ workerScript: script, min: 1, max: 1 });
    try {
      for (let i = 0; i < 7; i++) await service.run(docJob(`file:///f${i}.js`), 5_000);
      await sleep(200);
      assert.ok(!fs.existsSync(cache), 'not after seven jobs');
      await service.run(docJob('file:///f7.js'), 5_000);
      for (let i = 0; i < 50 && !fs.existsSync(cache); i++) await sleep(20);
      assert.ok(fs.existsSync(cache), 'saved after the eighth');
    } finally {
      service.dispose();
    }
    const next = new AnalysisService({ workerScript: script, min: 1, max: 1 });
    try {
      assert.strictEqual((await next.run(docJob('file:///g.js'), 5_000)).kind, 'analyze');
      assert.ok((next as unknown as { slots: { fromCache: boolean }[] }).slots[0].fromCache);
    } finally {
      next.dispose();
    }
  });

  it('a thread that cannot start from the code cache is started again without it, and the cache goes', async function () {
    const script = fakeWorker("if (require('worker_threads').workerData.cacheFile && require('fs').existsSync(require('worker_threads').workerData.cacheFile)) { parentPort.postMessage({ type: 'fatal', message: 'bad cache' }); } else parentPort.postMessage({ type: 'ready' });");
    const cache = codeCacheFile(script);
    if (!cache) return this.skip();
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.writeFileSync(cache, 'not a code cache');
    const service = new AnalysisService({ workerScript: script, min: 1, max: 1 });
    try {
      assert.strictEqual((await service.run(docJob('file:///a.js'), 5_000)).kind, 'analyze');
      assert.ok(!fs.existsSync(cache));
    } finally {
      service.dispose();
    }
  });

  it('a thread that did bulk work is replaced once work pauses; one serving an edited document is kept', async () => {
    const service = new AnalysisService({ workerScript: threadWorker(), min: 1, max: 1, recycleAfterFiles: 8, quietMs: 100 });
    try {
      // One document analysed again and again (typing): the thread keeps it, whatever the pauses.
      const typing = await threadOf(service.run(docJob('file:///edited.js'), 1000, 'file:///edited.js'));
      for (let i = 0; i < 20; i++) assert.strictEqual(await threadOf(service.run(docJob('file:///edited.js'), 1000, 'file:///edited.js')), typing);
      await sleep(300);
      assert.strictEqual(await threadOf(service.run(docJob('file:///edited.js'), 1000, 'file:///edited.js')), typing, 'not replaced: it did no bulk work');
      // A folder opened at once: eight different documents, then a pause.
      const bulk = await Promise.all(Array.from({ length: 8 }, (_, i) => threadOf(service.run(docJob(`file:///f${i}.js`), 1000, `file:///f${i}.js`))));
      assert.deepStrictEqual(new Set(bulk), new Set([typing]));
      // Work that comes back before the pause ends keeps the thread.
      await sleep(20);
      assert.strictEqual(await threadOf(service.run(docJob('file:///f0.js'), 1000, 'file:///f0.js')), typing);
      await sleep(400);
      const fresh = await threadOf(service.run(docJob('file:///edited.js'), 1000, 'file:///edited.js'));
      assert.notStrictEqual(fresh, typing, 'the thread that did the bulk work was replaced');
      // Workspace scans (no document key) count as bulk work too.
      for (let i = 0; i < 8; i++) await service.run({ kind: 'scan', file: `/s${i}.js`, uri: `file:///s${i}.js`, config: DEFAULT_CONFIG }, 1000);
      await sleep(400);
      assert.notStrictEqual(await threadOf(service.run(docJob('file:///edited.js'), 1000, 'file:///edited.js')), fresh);
    } finally {
      service.dispose();
    }
  });

  it('threads that cannot start make jobs fail with the reason', async () => {
    const service = new AnalysisService({ workerScript: fakeWorker("parentPort.postMessage({ type: 'fatal', message: 'no grammar' });"), min: 1, max: 1 });
    try {
      await assert.rejects(service.run(job('ok'), 100), (e) => e instanceof JobFailed && /could not start \(no grammar\)/.test(e.message));
      await assert.rejects(service.run(job('ok'), 100), (e) => e instanceof JobFailed);
    } finally {
      service.dispose();
    }
  });
});
