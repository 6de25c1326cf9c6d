// The language server's analyses run here, off the protocol thread: a small pool of worker
// threads (analysisWorker.ts), each with its own Engine and a large stack. A slow document keeps
// one thread busy while the others serve the rest (the pool grows by a thread when all are busy);
// a job is cancelled through a shared cell the engine checks as it goes, and a thread that does
// not stop in time (a cancelled job, or one past its time budget) is replaced, so no analysis
// can hold the server. Threads that did bulk work (the analyses of a folder's files opened at once,
// a workspace scan) are replaced by fresh ones once the burst is over: what their heaps grew to
// during it (a nursery grown to its limit, old-generation pages V8 keeps after collecting) stays
// resident for as long as the thread lives, several hundred megabytes for thousands of files,
// although the server needs none of it afterwards (results live in documents.ts).
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { ANALYSIS_RESOURCE_LIMITS } from '../limits';
import { codeCacheFile, removeCodeCache, WORKER_LOADER } from '../codeCache';
import type { FromAnalysisWorker, JobRequest, JobResult, ToAnalysisWorker } from './messages';

export class JobCancelled extends Error { constructor() { super('analysis cancelled'); } }
/** The thread running the job had to be stopped (past its time budget) or died. */
export class JobFailed extends Error {}

interface Job {
  id: number;
  request: JobRequest;
  /** Affinity: the same document goes back to the thread that holds its parse. */
  key?: string;
  budgetMs: number;
  resolve(r: JobResult): void;
  reject(e: Error): void;
  cancelled?: boolean;
}

interface Slot {
  worker: Worker;
  cancel: Int32Array;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  keys: Set<string>;
  idleSince: number;
  /** Jobs for a document or file other than the thread's previous ones: how much bulk work it did. */
  files: number;
  /** Jobs answered: the thread that answers SAVE_CODE_CACHE_AFTER_JOBS first saves the code cache. */
  jobs: number;
  /** Started from a code cache file that existed then. */
  fromCache: boolean;
}

/** A thread that analysed this many different files is replaced when work pauses (bulk work is over). */
const BULK_FILES = 32;
/** How long the service must be without work before a burst counts as over. */
const QUIET_MS = 1000;
/**
 * After this many jobs a thread saves the V8 code cache (when it started without one), so that it
 * holds the functions analyses run. Threads start from it in about 0.09 s instead of 0.27 s, and
 * an idle one is about 18 MB smaller: the bundle is not compiled from source.
 */
const SAVE_CODE_CACHE_AFTER_JOBS = 8;

export interface ServiceOptions {
  workerScript?: string;
  /**
   * Threads kept while idle (default 1: each holds an engine, about 50 MB, and an idle server with
   * 5,000 documents open must stay within 200 MB). When a slow document holds it, the next job
   * starts a second thread, about 0.3 s, and threads that then go unused for a minute are retired.
   */
  min?: number;
  max?: number;
  /** Extra time a job gets past its budget (or after a cancel) before its thread is stopped. */
  graceMs?: number;
  /** After how many different files a thread is replaced once work pauses (BULK_FILES). */
  recycleAfterFiles?: number;
  /** The pause that ends a burst of work (QUIET_MS). */
  quietMs?: number;
  log?: (message: string) => void;
}

export class AnalysisService {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  private startFailure?: string;
  private readonly script: string;
  private readonly min: number;
  private readonly max: number;
  private readonly graceMs: number;
  private readonly log: (m: string) => void;
  private readonly reaper: NodeJS.Timeout;
  private readonly recycleAfterFiles: number;
  private readonly quietMs: number;
  private quiet?: NodeJS.Timeout;
  /** The V8 code cache threads start from (undefined: off, or dropped after a failed start). */
  private cacheFile?: string;
  private cacheSaveAsked = false;

  constructor(opts: ServiceOptions = {}) {
    this.script = opts.workerScript ?? path.join(__dirname, 'analysisWorker.js');
    this.min = opts.min ?? 1;
    this.max = Math.max(this.min, opts.max ?? 3);
    this.graceMs = opts.graceMs ?? 2000;
    this.log = opts.log ?? (() => undefined);
    this.recycleAfterFiles = opts.recycleAfterFiles ?? BULK_FILES;
    this.quietMs = opts.quietMs ?? QUIET_MS;
    this.cacheFile = codeCacheFile(this.script);
    for (let i = 0; i < this.min; i++) this.spawn();
    // Threads beyond the minimum go after a minute without work.
    this.reaper = setInterval(() => this.retireIdle(), 30_000);
    this.reaper.unref();
  }

  /** Runs a job; `key` (a document URI) keeps a document on the thread that analysed it last. */
  run(request: JobRequest, budgetMs: number, key?: string, token?: { isCancellationRequested: boolean; onCancellationRequested(cb: () => void): unknown }): Promise<JobResult> {
    if (this.disposed) return Promise.reject(new JobCancelled());
    if (this.startFailure !== undefined && !this.slots.some((s) => s.ready)) return Promise.reject(new JobFailed(`the analysis threads could not start (${this.startFailure})`));
    return new Promise<JobResult>((resolve, reject) => {
      const job: Job = { id: this.nextId++, request, key, budgetMs, resolve, reject };
      token?.onCancellationRequested(() => this.cancelJob(job));
      if (token?.isCancellationRequested) { reject(new JobCancelled()); return; }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Cancels every queued or running job for `key` (a document that changed or closed). */
  cancel(key: string): void {
    for (const j of [...this.queue, ...this.slots.flatMap((s) => (s.job ? [s.job] : []))]) if (j.key === key) this.cancelJob(j);
  }

  /** Drops the parse a thread keeps for a closed document. */
  forget(key: string, file: string): void {
    for (const s of this.slots) if (s.keys.delete(key) && s.ready) s.worker.postMessage({ type: 'forget', file } satisfies ToAnalysisWorker);
  }

  /** A workspace fact file changed: every thread drops the workspace facts it computed. */
  workspaceChanged(): void {
    for (const s of this.slots) if (s.ready) s.worker.postMessage({ type: 'workspace-changed' } satisfies ToAnalysisWorker);
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.reaper);
    clearTimeout(this.quiet);
    for (const j of this.queue.splice(0)) j.reject(new JobCancelled());
    for (const s of this.slots) { s.job?.reject(new JobCancelled()); void s.worker.terminate(); }
    this.slots = [];
  }

  private cancelJob(job: Job): void {
    if (job.cancelled) return;
    job.cancelled = true;
    const queued = this.queue.indexOf(job);
    if (queued !== -1) { this.queue.splice(queued, 1); job.reject(new JobCancelled()); return; }
    const slot = this.slots.find((s) => s.job === job);
    if (!slot) return;
    Atomics.store(slot.cancel, 0, job.id);
    // The engine checks the cell every few hundred steps; a thread that does not answer is replaced.
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.replace(slot, new JobCancelled(), 'did not stop when cancelled'), this.graceMs);
  }

  private spawn(): Slot {
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(cancel, 0, -1);
    const cacheFile = this.cacheFile;
    const worker = new Worker(WORKER_LOADER, { eval: true, workerData: { script: this.script, cacheFile, cancel: cancel.buffer }, resourceLimits: { ...ANALYSIS_RESOURCE_LIMITS } });
    const fromCache = cacheFile !== undefined && fs.existsSync(cacheFile);
    const slot: Slot = { worker, cancel, ready: false, keys: new Set(), idleSince: Date.now(), files: 0, jobs: 0, fromCache };
    worker.on('message', (msg: FromAnalysisWorker) => this.receive(slot, msg));
    worker.on('error', (e) => { this.dropCacheIfStartFailed(slot, e.message); this.replace(slot, new JobFailed(`the analysis thread failed (${e.message})`), `failed: ${e.message}`); });
    worker.on('exit', () => { this.dropCacheIfStartFailed(slot, 'exited'); this.replace(slot, new JobFailed('the analysis thread exited'), 'exited'); });
    this.slots.push(slot);
    return slot;
  }

  private receive(slot: Slot, msg: FromAnalysisWorker): void {
    if (msg.type === 'ready') { slot.ready = true; this.dispatch(); return; }
    if (msg.type === 'fatal') {
      if (this.dropCacheIfStartFailed(slot, msg.message)) this.replace(slot, new JobFailed(msg.message), 'could not start from the code cache');
      else this.broken(slot, msg.message);
      return;
    }
    const job = slot.job;
    if (!job || job.id !== msg.id) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.idleSince = Date.now();
    if (++slot.jobs === SAVE_CODE_CACHE_AFTER_JOBS && this.cacheFile && !this.cacheSaveAsked) {
      this.cacheSaveAsked = true;
      slot.worker.postMessage({ type: 'save-code-cache' } satisfies ToAnalysisWorker);
    }
    if (msg.type === 'done') job.resolve(msg.result);
    else if (msg.type === 'cancelled') job.reject(new JobCancelled());
    else job.reject(new JobFailed(msg.message));
    this.dispatch();
  }

  /**
   * A thread that started from the code cache failed before it was ready: the cache goes, and
   * threads start without one from now on. Whether that was the case.
   */
  private dropCacheIfStartFailed(slot: Slot, why: string): boolean {
    if (slot.ready || !slot.fromCache || !this.cacheFile) return false;
    this.log(`analysis thread could not start from the code cache (${why}); starting without it`);
    removeCodeCache(this.cacheFile);
    this.cacheFile = undefined;
    return true;
  }

  /**
   * A thread could not load the engine (a missing grammar file, say): starting another would fail
   * the same way, so every job from now on fails with the reason instead of waiting forever.
   */
  private broken(slot: Slot, message: string): void {
    this.log(`analysis thread could not start: ${message}`);
    this.startFailure = message;
    this.slots.splice(this.slots.indexOf(slot), 1);
    void slot.worker.terminate();
    if (this.slots.some((s) => s.ready)) return;
    for (const j of this.queue.splice(0)) j.reject(new JobFailed(`the analysis threads could not start (${message})`));
  }

  /** Stops a thread (its job ends with `why`) and starts another in its place. */
  private replace(slot: Slot, error: Error, what: string): void {
    const i = this.slots.indexOf(slot);
    if (i === -1) return;
    this.slots.splice(i, 1);
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    void slot.worker.terminate();
    if (job) this.log(`analysis thread ${what}; replaced`);
    job?.reject(error);
    if (!this.disposed && this.startFailure === undefined && this.slots.length < this.min) this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    clearTimeout(this.quiet);
    this.quiet = undefined;
    while (this.queue.length) {
      const idle = this.slots.filter((s) => s.ready && !s.job);
      if (!idle.length) {
        // Every thread is busy (a slow document?): one more, up to the maximum, for the rest.
        if (this.startFailure === undefined && this.slots.length < this.max && this.slots.every((s) => s.ready)) this.spawn();
        return;
      }
      const job = this.queue.shift()!;
      const slot = idle.find((s) => job.key && s.keys.has(job.key)) ?? idle[0];
      this.start(slot, job);
    }
    if (!this.disposed && this.slots.every((s) => !s.job) && this.slots.some((s) => s.files >= this.recycleAfterFiles)) {
      this.quiet = setTimeout(() => this.recycle(), this.quietMs);
      this.quiet.unref();
    }
  }

  /**
   * Work paused: the threads that did bulk work go, and fresh ones replace them up to the minimum.
   * A thread that served only the documents being edited stays, with their parses.
   */
  private recycle(): void {
    this.quiet = undefined;
    for (const s of [...this.slots]) {
      if (s.job || !s.ready || s.files < this.recycleAfterFiles) continue;
      this.slots.splice(this.slots.indexOf(s), 1);
      clearTimeout(s.timer);
      void s.worker.terminate();
    }
    while (!this.disposed && this.startFailure === undefined && this.slots.length < this.min) this.spawn();
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    if (!job.key || !slot.keys.has(job.key)) slot.files++;
    if (job.key) {
      for (const s of this.slots) s.keys.delete(job.key);
      slot.keys.add(job.key);
    }
    Atomics.store(slot.cancel, 0, -1);
    // The engine stops itself at the budget; the timer is for a step that never checks it.
    slot.timer = setTimeout(() => this.replace(slot, new JobFailed(`the analysis did not stop within its time budget of ${job.budgetMs} ms`), 'ran past its time budget'), job.budgetMs + this.graceMs);
    slot.worker.postMessage({ type: 'job', id: job.id, job: job.request } satisfies ToAnalysisWorker);
  }

  private retireIdle(): void {
    const now = Date.now();
    for (const s of [...this.slots]) {
      if (this.slots.length <= this.min) return;
      if (!s.job && s.ready && now - s.idleSince > 60_000) {
        this.slots.splice(this.slots.indexOf(s), 1);
        void s.worker.terminate();
      }
    }
  }
}
