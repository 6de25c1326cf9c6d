// `vibeguard scan --cache`: results of unchanged files come from the result cache (cache/store.ts)
// instead of the analysis workers. The main thread reads and hashes every file before anything
// is dispatched, so a cached file never reaches a worker, and a scan where every file is cached
// starts no worker at all (the engine's start-up is most of a small scan). The workers only
// record what each analysis read (ScanOptions.recordDependencies); only the main thread reads and
// writes the cache file, so parallel workers never contend for it.
import * as path from 'path';
import { languageOf } from '../languages';
import { packageInfo } from '../docsUrl';
import { LASTING_NOTICES, ResultStore } from '../cache/store';
import { engineFingerprint, optionsHash, sha256 } from '../cache/keys';
import { ContentHashes, workspaceStamp } from '../cache/workspaceStamp';
import { cacheFileFor, defaultCacheDir } from '../cache/location';
import { readSource } from './readSource';
import type { FileResult, ScanOptions } from './types';

/** What a cache entry holds of a file's result (the path is the key's; timings are not kept). */
type Cached = Pick<FileResult, 'findings' | 'notices' | 'lines'>;

export interface ScanPlan {
  /** Cached results at their file's index; undefined where the file must be analysed. */
  results: (FileResult | undefined)[];
  /** Indexes of the files to analyse. */
  todo: number[];
}

export class ScanCache {
  private readonly contents = new Map<string, string>();
  private stamp?: { value: string | undefined };
  private readonly optionsKey: string;

  private constructor(private readonly store: ResultStore<Cached>, private readonly hashes: ContentHashes, private readonly options: ScanOptions, private readonly root: string) {
    // Everything in the options can change what is reported about a file, except timing, and the
    // baseline and ignore globs, which act on the report and on the choice of files.
    this.optionsKey = optionsHash({ ...options, timeRules: undefined, recordDependencies: undefined, config: { ...options.config, baseline: undefined, ignore: undefined } });
  }

  /** Opens the cache of this scan's workspace root in `dir`; undefined when the cache cannot be used (said through `warn`). */
  static open(dir: string, options: ScanOptions, workerScript: string, warn: (m: string) => void): ScanCache | undefined {
    const root = path.resolve(options.config.root ?? options.workspaceRoot);
    const file = cacheFileFor(dir, root, 'scan');
    // The store and the scan share one set of content hashes: each file is read once per run.
    const hashes = new ContentHashes();
    let self: ScanCache | undefined;
    const store = ResultStore.open<Cached>(file, (known) => engineFingerprint(workerScript, packageInfo().version, known), {
      isResult, hashes, warn,
      stamp: () => self?.workspaceStamp(),
    });
    if (!store) return undefined;
    self = new ScanCache(store, hashes, options, root);
    return self;
  }

  get file(): string { return this.store.file; }
  get hits(): number { return this.store.hits; }

  /** Reads and hashes each file; the cached results are returned, the others are left to analyse. */
  plan(files: readonly string[]): ScanPlan {
    const results: (FileResult | undefined)[] = new Array(files.length);
    const todo: number[] = [];
    files.forEach((file, i) => {
      const hit = this.lookup(file);
      if (hit) results[i] = hit;
      else todo.push(i);
    });
    // The stamp the new results are stored under is taken before they are computed: a file that
    // changes during the scan then makes them miss next time, rather than be kept as current.
    if (todo.length) this.workspaceStamp();
    return { results, todo };
  }

  /** The full list of results: the plan's cached ones and the fresh ones (stored in the cache, which is then saved). */
  complete(plan: ScanPlan, fresh: readonly FileResult[]): FileResult[] {
    const out = plan.results.slice();
    plan.todo.forEach((i, k) => {
      const r = fresh[k];
      out[i] = r;
      this.remember(r);
    });
    this.store.save();
    return out as FileResult[];
  }

  private lookup(file: string): FileResult | undefined {
    // Files the engine does not analyse are answered by the worker at once; nothing to save.
    if (!languageOf(file)) return undefined;
    const read = readSource(file, this.options.config.maxFileSizeKb);
    // A file that is not read as source (too large, not a regular file, unreadable) gets the same
    // result a worker gives it (scanFile.ts), here: a warm scan need not start a worker for it.
    if ('notice' in read) return { file, findings: [], notices: [read.notice], lines: 0 };
    const content = sha256(read.bytes);
    this.contents.set(file, content);
    this.hashes.set(file, content);
    const hit = this.store.get(this.key(file), content);
    return hit && { file, findings: hit.findings, notices: hit.notices, lines: hit.lines };
  }

  private remember(r: FileResult): void {
    const content = this.contents.get(r.file);
    if (content === undefined || !r.dependsOn || !r.notices.every((n) => LASTING_NOTICES.has(n.kind))) return;
    this.store.put(this.key(r.file), content, { findings: r.findings, notices: r.notices, lines: r.lines }, r.dependsOn);
  }

  private key(file: string): string { return `${this.optionsKey} ${file}`; }

  private workspaceStamp(): string | undefined {
    this.stamp ??= { value: workspaceStamp(this.root, this.hashes)?.value };
    return this.stamp.value;
  }
}

/** Whether a cache entry's value has the shape of a result (a damaged entry is a miss, never a crash). */
function isResult(v: unknown): v is Cached {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  if (typeof r.lines !== 'number' || !Array.isArray(r.findings) || !Array.isArray(r.notices)) return false;
  const posInt = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 1;
  return r.findings.every((f: Record<string, unknown>) => f && typeof f === 'object' && typeof f.rule === 'string' && typeof f.message === 'string'
    && typeof f.fingerprint === 'string' && ['error', 'warning', 'info'].includes(f.severity as string)
    && posInt(f.line) && posInt(f.column) && posInt(f.endLine) && posInt(f.endColumn)
    && (f.fix === undefined || (!!f.fix && typeof (f.fix as Record<string, unknown>).title === 'string' && typeof (f.fix as Record<string, unknown>).safety === 'string'))
    && (f.replacements === undefined || (Array.isArray(f.replacements) && f.replacements.every((x: Record<string, unknown>) => x && typeof x.text === 'string' && posInt(x.line) && posInt(x.column) && posInt(x.endLine) && posInt(x.endColumn)))))
    && r.notices.every((n: Record<string, unknown>) => n && typeof n === 'object' && typeof n.kind === 'string' && typeof n.message === 'string');
}

/** The scan's cache in `location` (relative to `cwd`), else in the default folder for its workspace root. */
export function openScanCache(location: string | undefined, cwd: string, options: ScanOptions, workerScript: string, warn: (m: string) => void): ScanCache | undefined {
  const dir = location !== undefined ? path.resolve(cwd, location) : defaultCacheDir(path.resolve(options.config.root ?? options.workspaceRoot));
  return ScanCache.open(dir, options, workerScript, warn);
}
