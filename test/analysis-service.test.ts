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
