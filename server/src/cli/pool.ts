// Parallel scanning: `jobs` worker threads, each with its own Engine, take batches of files from
// one queue. Results land at their file's index, so the output order never depends on the
// number of jobs. The main thread only walks, dispatches and formats: it never loads the engine.
import * as fs from 'fs';
import { Worker } from 'worker_threads';
import { codeCacheFile, removeCodeCache, WORKER_LOADER } from '../codeCache';
import type { FileResult, FixOutcome, FromWorker, ScanOptions, ToWorker } from './types';
import { SCAN_RESOURCE_LIMITS } from '../limits';
import { tieringKey } from './tiering';

/** Batches each worker holds at once: the next waits in its queue while it works on the current one. */
const IN_FLIGHT = 2;
/** Largest batch: one message per this many files keeps the main thread's share of the work small. */
const MAX_BATCH = 32;
/**
 * Batches are cut as workers ask for them (guided self-scheduling): a share of what remains, so
 * they shrink towards the end of the scan. With fixed batches of 32 the last worker to finish
 * still held up to two of them (about 0.2 s of analysis) while the other cores had nothing left.
 */
const SHARES_PER_WORKER = 4;
/** How long a closing worker may take to save the code cache before it is stopped. */
const CLOSE_TIMEOUT_MS = 5000;

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  /** Batches sent and not yet answered. */
  batches: Set<number>;
  onReady: Promise<boolean>;
}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private results: FileResult[] = [];
  private files: readonly string[] = [];
  private batches: { start: number; end: number }[] = [];
  /** The first file no batch has taken yet. */
  private next = 0;
  /** Files without a result yet. */
  private pending = 0;
  private settle?: () => void;
  private fixWaiter?: (o: FixOutcome | undefined) => void;
  private fixSlot?: Slot;

  /** Starts `jobs` workers (none for an empty scan); each loads the engine once. */
  constructor(jobs: number, private readonly options: ScanOptions, private readonly workerScript: string) {
    const cacheFile = codeCacheFile(workerScript, tieringKey());
    for (let i = 0; i < jobs; i++) this.slots.push(this.spawn(cacheFile));
  }

  private spawn(cacheFile: string | undefined): Slot {
    const fromCache = cacheFile !== undefined && fs.existsSync(cacheFile);
    const worker = new Worker(WORKER_LOADER, { eval: true, workerData: { script: this.workerScript, cacheFile, options: this.options }, resourceLimits: { ...SCAN_RESOURCE_LIMITS } });
    let resolveReady!: (ok: boolean) => void;
    const slot: Slot = { worker, ready: false, dead: false, batches: new Set(), onReady: new Promise((r) => (resolveReady = r)) };
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') { slot.ready = true; resolveReady(true); this.feed(slot); }
      else if (msg.type === 'results') this.receive(slot, msg.batch, msg.results);
      else if (msg.type === 'fixed') { const w = this.fixWaiter; this.fixWaiter = undefined; w?.(msg.outcome); }
      else if (fromCache) {
        // Code from the cache could not start the engine: drop the cache, start afresh without it.
        removeCodeCache(cacheFile!);
        slot.dead = true;
        void worker.terminate();
        const replacement = this.spawn(undefined);
        this.slots[this.slots.indexOf(slot)] = replacement;
      } else this.lose(slot, `the analysis worker could not start (${msg.message})`);
    });
    worker.on('error', (e) => this.lose(slot, `the analysis worker stopped (${e.message})`));
    worker.on('exit', () => { this.lose(slot, 'the analysis worker exited'); resolveReady(false); });
    return slot;
  }

  /** Scans the files; results come back in the order of `files`. */
  async scan(files: readonly string[]): Promise<FileResult[]> {
    this.files = files;
    this.results = new Array(files.length);
    this.batches = [];
    this.next = 0;
    this.pending = files.length;
    if (!this.pending) return this.results;
    const done = new Promise<void>((r) => (this.settle = r));
    for (const slot of this.slots) this.feed(slot);
    this.failIfNoWorker();
    await done;
    return this.results;
  }

  /** Fixes files one after another in one worker: fixes may write shared files such as .env. */
  async fix(files: readonly string[], unsafe: boolean): Promise<FixOutcome[]> {
    const out: FixOutcome[] = [];
    for (const file of files) {
      const slot = await this.firstReady();
      if (!slot) { out.push({ file, applied: 0, notices: [{ kind: 'internal', message: 'fixes not applied: no analysis worker is running' }] }); continue; }
      const outcome = await new Promise<FixOutcome | undefined>((resolve) => {
        this.fixWaiter = resolve;
        this.fixSlot = slot;
        slot.worker.postMessage({ type: 'fix', file, unsafe } satisfies ToWorker);
      });
      out.push(outcome ?? { file, applied: 0, notices: [{ kind: 'internal', message: 'fixes not applied: the analysis worker stopped' }] });
    }
    return out;
  }

  /** Stops the workers; one of them saves the code cache when it had none. */
  async close(): Promise<void> {
    const writer = this.slots.find((s) => s.ready && !s.dead);
    await Promise.all(this.slots.map((slot) => {
      if (slot.dead) return undefined;
      if (!slot.ready) return slot.worker.terminate().then(() => undefined);
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => { void slot.worker.terminate(); }, CLOSE_TIMEOUT_MS);
        slot.worker.once('exit', () => { clearTimeout(timer); resolve(); });
        slot.worker.postMessage({ type: 'close', writeCache: slot === writer } satisfies ToWorker);
      });
    }));
  }

  private async firstReady(): Promise<Slot | undefined> {
    for (const slot of this.slots) if ((await slot.onReady) && !slot.dead) return slot;
    return undefined;
  }

  private feed(slot: Slot) {
    if (!slot.ready || slot.dead) return;
    while (slot.batches.size < IN_FLIGHT && this.next < this.files.length) {
      const live = Math.max(1, this.slots.filter((s) => !s.dead).length);
      const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil((this.files.length - this.next) / (live * SHARES_PER_WORKER))));
      const start = this.next;
      const end = Math.min(this.files.length, start + size);
      this.next = end;
      const b = this.batches.push({ start, end }) - 1;
      slot.batches.add(b);
      slot.worker.postMessage({ type: 'scan', batch: b, files: this.files.slice(start, end) } satisfies ToWorker);
    }
  }

  private receive(slot: Slot, batch: number, results: FileResult[]) {
    if (!slot.batches.delete(batch)) return;
    const { start } = this.batches[batch];
    results.forEach((r, i) => { this.results[start + i] = r; });
    this.feed(slot);
    this.pending -= results.length;
    if (this.pending === 0) this.settle?.();
  }

  /** A worker is gone: its unanswered batches are reported as skipped; the others carry on. */
  private lose(slot: Slot, why: string) {
    if (slot.dead) return;
    slot.dead = true;
    for (const b of slot.batches) {
      const { start, end } = this.batches[b];
      for (let i = start; i < end; i++) {
        this.results[i] = { file: this.files[i], findings: [], notices: [{ kind: 'internal', message: `internal error, file skipped: ${why}` }], lines: 0 };
      }
      this.pending -= end - start;
      if (this.pending === 0) this.settle?.();
    }
    slot.batches.clear();
    if (slot === this.fixSlot) {
      const w = this.fixWaiter;
      this.fixWaiter = undefined;
      w?.(undefined);
    }
    void slot.worker.terminate();
    this.failIfNoWorker();
  }

  /** With every worker gone, the files no one took are reported as skipped. */
  private failIfNoWorker() {
    if (this.slots.some((s) => !s.dead) || !this.settle) return;
    if (this.next >= this.files.length) return;
    for (let i = this.next; i < this.files.length; i++) {
      this.results[i] = { file: this.files[i], findings: [], notices: [{ kind: 'internal', message: 'internal error, file skipped: no analysis worker could start' }], lines: 0 };
    }
    this.pending -= this.files.length - this.next;
    this.next = this.files.length;
    if (this.pending === 0) this.settle();
  }
}
