// One result cache on disk: a JSON file of entries, each a file's result with what it was computed
// from. An entry is served only when the file's content hash, the options (in the entry's key), the
// engine's fingerprint (for the whole file) and every dependency the analysis recorded
// (cache/dependencies.ts) are unchanged. The file is replaced atomically (written beside, then
// renamed), so a reader never sees half of one; a cache that cannot be read, is not JSON, or was
// written by another format version is set aside with a notice and rebuilt, and an entry of the
// wrong shape is a miss. The least recently used entries go when the cache outgrows its bounds.
// Two runs of one project: each merges what the other saved before it writes (newest entry wins);
// runs that save at the very same moment may lose each other's new entries, never mix a file.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { EngineFingerprint } from './keys';
import type { ContentHashes } from './workspaceStamp';
import type { NoticeKind } from '../notices';

const FORMAT = 'vibeguard-result-cache';
const VERSION = 1;
/** Bounds of the cache file: entries beyond them go, least recently used first. */
export const DEFAULT_LIMITS = { maxEntries: 100_000, maxBytes: 64 * 1024 * 1024 };
/** A served entry's time of use is written back only when older than this: a warm run that changed nothing writes nothing. */
const TOUCH_MS = 24 * 60 * 60 * 1000;

/**
 * Notices that come from the file itself. A result with any other (out of time, an internal
 * error, unreadable) says something about that run, not about the file, and is not kept.
 */
export const LASTING_NOTICES: ReadonlySet<string> = new Set<NoticeKind>(['syntax', 'unparsable', 'binary', 'encoding', 'limit', 'unsupported']);

export interface CacheEntry<R> {
  /** Content hash of the file the result is of. */
  content: string;
  /** The workspace stamp, when the result read facts of the workspace. */
  workspace?: string;
  /** Other files the result read: path → content hash, null for a file that was absent. */
  files?: Record<string, string | null>;
  /** Where an import was looked for (cache/dependencies.ts): probe → hash of the names found, null for an absent folder. */
  probes?: Record<string, string | null>;
  /** When the entry was last stored or served (ms since the epoch). */
  used: number;
  result: R;
}

interface CacheFile<R> { format: string; version: number; engine: EngineFingerprint; entries: Record<string, CacheEntry<R>> }

export interface StoreContext<R> {
  /** Whether a stored value is a result (anything else in an entry is a miss). */
  isResult: (v: unknown) => v is R;
  hashes: ContentHashes;
  /** The current workspace stamp (computed on first use); undefined: not known, no such entry is served or stored. */
  stamp: () => string | undefined;
  warn: (message: string) => void;
  limits?: { maxEntries: number; maxBytes: number };
}

export class ResultStore<R> {
  private entries = new Map<string, CacheEntry<R>>();
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(readonly file: string, private readonly engine: EngineFingerprint, private readonly ctx: StoreContext<R>) {}

  /**
   * Opens the cache file (absent: an empty cache). `fingerprint` gets the fingerprint stored
   * there, to reuse when the engine's files did not change; a different engine empties the cache.
   */
  static open<R>(file: string, fingerprint: (known?: EngineFingerprint) => EngineFingerprint | undefined, ctx: StoreContext<R>): ResultStore<R> | undefined {
    const stored = readCacheFile<R>(file, ctx.warn);
    const engine = fingerprint(stored?.engine);
    if (!engine) { ctx.warn(`the result cache is off: the engine's files could not be read`); return undefined; }
    const store = new ResultStore<R>(file, engine, ctx);
    if (stored && stored.engine.hash === engine.hash) {
      for (const [k, e] of Object.entries(stored.entries)) store.entries.set(k, e);
    } else if (stored) store.dirty = true;
    // A fingerprint recomputed for the same code (a reinstall) is worth writing back.
    if (stored && stored.engine.stat !== engine.stat) store.dirty = true;
    return store;
  }

  /** The cached result for `key` when it is still valid for a file of this content, else undefined. */
  get(key: string, content: string): R | undefined {
    const e = this.entries.get(key);
    if (!e || !this.valid(e, content)) { this.misses++; return undefined; }
    this.hits++;
    const now = Date.now();
    if (now - e.used > TOUCH_MS) { e.used = now; this.dirty = true; }
    return structuredClone(e.result);
  }

  /** Stores a result with what it depended on; a result that read the workspace is stored only with a known stamp. */
  put(key: string, content: string, result: R, deps: { workspace: boolean; files: readonly string[]; probes?: readonly string[] }): void {
    const entry: CacheEntry<R> = { content, used: Date.now(), result: structuredClone(result) };
    if (deps.workspace) {
      const stamp = this.ctx.stamp();
      if (stamp === undefined) return;
      entry.workspace = stamp;
    }
    if (deps.files.length) {
      entry.files = {};
      for (const f of deps.files) entry.files[f] = this.ctx.hashes.get(f);
    }
    if (deps.probes?.length) {
      entry.probes = {};
      for (const p of deps.probes) entry.probes[p] = this.ctx.hashes.probe(p);
    }
    this.entries.set(key, entry);
    this.dirty = true;
  }

  /** Writes the cache when it changed; a failure is a notice, never an error of the scan. */
  save(): void {
    if (!this.dirty) return;
    // Another run may have saved since this one opened the cache: its newer entries are kept.
    const current = readCacheFile<R>(this.file, () => undefined);
    if (current?.engine.hash === this.engine.hash) {
      for (const [k, e] of Object.entries(current.entries)) {
        const mine = this.entries.get(k);
        if (e && typeof e === 'object' && typeof e.used === 'number' && (!mine || mine.used < e.used)) this.entries.set(k, e);
      }
    }
    const limits = this.ctx.limits ?? DEFAULT_LIMITS;
    const kept: string[] = [];
    let bytes = 0;
    const byUse = [...this.entries].sort((a, b) => b[1].used - a[1].used);
    for (const [k, e] of byUse) {
      const text = `${JSON.stringify(k)}:${JSON.stringify(e)}`;
      if (kept.length >= limits.maxEntries || bytes + text.length > limits.maxBytes) break;
      kept.push(text);
      bytes += text.length + 1;
    }
    const body = `{"format":${JSON.stringify(FORMAT)},"version":${VERSION},"engine":${JSON.stringify(this.engine)},"entries":{${kept.join(',')}}}\n`;
    const tmp = `${this.file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, body);
      fs.renameSync(tmp, this.file);
      this.dirty = false;
    } catch (e) {
      try { fs.rmSync(tmp, { force: true }); } catch { /* nothing was written */ }
      this.ctx.warn(`could not write the result cache ${this.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); this scan's results are not cached`);
    }
  }

  get size(): number { return this.entries.size; }

  private valid(e: CacheEntry<R>, content: string): boolean {
    if (!e || typeof e !== 'object' || e.content !== content || !this.ctx.isResult(e.result)) return false;
    if (e.workspace !== undefined && e.workspace !== this.ctx.stamp()) return false;
    if (e.files !== undefined) {
      if (typeof e.files !== 'object' || e.files === null) return false;
      for (const [f, h] of Object.entries(e.files)) if (this.ctx.hashes.get(f) !== h) return false;
    }
    if (e.probes !== undefined) {
      if (typeof e.probes !== 'object' || e.probes === null) return false;
      for (const [p, h] of Object.entries(e.probes)) if (this.ctx.hashes.probe(p) !== h) return false;
    }
    return true;
  }
}

/** The cache file's content, or undefined (with a notice unless it simply is not there yet). */
function readCacheFile<R>(file: string, warn: (m: string) => void): CacheFile<R> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') warn(`the result cache ${file} could not be read (${code ?? (e as Error).message}); it is rebuilt`);
    return undefined;
  }
  let data: Partial<CacheFile<R>>;
  try { data = JSON.parse(text); } catch {
    warn(`the result cache ${file} is damaged (not JSON); it is rebuilt`);
    return undefined;
  }
  if (!data || typeof data !== 'object' || data.format !== FORMAT) {
    warn(`${file} is not a Vibe Guard result cache; it is rebuilt`);
    return undefined;
  }
  if (data.version !== VERSION) {
    warn(`the result cache ${file} was written by another version of Vibe Guard (format ${String(data.version)}); it is rebuilt`);
    return undefined;
  }
  const engine = data.engine;
  if (!engine || typeof engine.hash !== 'string' || typeof engine.stat !== 'string' || !data.entries || typeof data.entries !== 'object' || Array.isArray(data.entries)) {
    warn(`the result cache ${file} is damaged (missing parts); it is rebuilt`);
    return undefined;
  }
  return data as CacheFile<R>;
}
