// The engine's side of workspace facts (rules/kit/model/workspace.ts). One index per workspace
// root: the list of source files and their stamps are refreshed at most every FRESH_MS, texts are
// read once per stamp, and the facts rules computed from them are dropped as soon as a stamp, or
// the list, changes. A workspace given as functions (the test harness's virtual workspace, a fix
// environment) is indexed the same way, with the text itself as the stamp.
import * as fs from 'fs';
import * as path from 'path';
import type { Lang } from '../../rules/kit/model/ir';
import type { WorkspaceIndex } from '../../rules/kit/model/workspace';
import { FACT_DOT_DIRS, isWorkspaceFactFile } from '../../rules/kit/model/fact-files';

/** Reads a workspace that is not (only) on disk. */
export interface WorkspaceReader {
  root: string;
  readFile(absPath: string): string | undefined;
  findFiles(pred: (relPath: string) => boolean, limit?: number): string[];
}

const FRESH_MS = 2000;
const MAX_FILES = 4000;
const MAX_VISITED = 40000;
const MAX_BYTES = 512 * 1024;
const MAX_FACT_FILES = 2000;
/** Lockfiles of real apps run to megabytes; they are read once per change. */
const MAX_FACT_BYTES = 16 * 1024 * 1024;
/** Folders the index never enters (entersFolder; the result cache's workspace stamp walks the same tree with it). */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'build', 'coverage', '__pycache__', 'venv', 'site-packages', 'vendor', 'bower_components']);
const JS = /\.(?:[cm]?[jt]sx?)$/i;
const PY = /\.py$/i;
export const langOf = (f: string): Lang | undefined => (JS.test(f) && !/\.d\.[cm]?ts$/.test(f) && !/\.min\.js$/.test(f) ? 'js' : PY.test(f) ? 'py' : undefined);

/** Whether the index walks into a folder of this name: not dependencies or build output, and no dot folder but the ones holding facts (CI schedules). */
export function entersFolder(name: string): boolean {
  return !SKIP_DIRS.has(name) && (!name.startsWith('.') || FACT_DOT_DIRS.has(name));
}

interface Listing { js: string[]; py: string[]; facts: string[] }

abstract class BaseIndex implements WorkspaceIndex {
  private facts = new Map<string, unknown>();
  private checkedAt = -Infinity;
  private stamp = '';
  protected listing: Listing = { js: [], py: [], facts: [] };

  constructor(readonly root: string) {}

  /** The current files and a stamp that changes when any of them does. */
  protected abstract scan(): Listing & { stamp: string };
  protected abstract readFresh(file: string): string | undefined;
  /** Whether a refresh is due now. */
  protected due(now: number): boolean { return now - this.checkedAt > FRESH_MS; }

  /** Rescans at the next use, whatever the freshness window says (a watcher reported a change). */
  stale(): void { this.checkedAt = -Infinity; }

  private refresh(): void {
    const now = Date.now();
    if (!this.due(now)) return;
    this.checkedAt = now;
    const s = this.scan();
    this.listing = { js: s.js, py: s.py, facts: s.facts };
    if (s.stamp !== this.stamp) { this.stamp = s.stamp; this.facts.clear(); this.forgetUnlisted(); }
  }

  files(lang: Lang): readonly string[] {
    this.refresh();
    return lang === 'js' ? this.listing.js : this.listing.py;
  }

  factFiles(): readonly string[] {
    this.refresh();
    return this.listing.facts;
  }

  read(file: string): string | undefined { return this.readFresh(file); }

  private perFileMemo = new Map<string, { text: string; values: Map<string, unknown> }>();

  perFile<T>(file: string, key: string, compute: (text: string) => T): T | undefined {
    const text = this.read(file);
    if (text === undefined) { this.perFileMemo.delete(file); return undefined; }
    let entry = this.perFileMemo.get(file);
    if (!entry || entry.text !== text) this.perFileMemo.set(file, (entry = { text, values: new Map() }));
    if (!entry.values.has(key)) entry.values.set(key, compute(text));
    return entry.values.get(key) as T;
  }

  /** Per-file values of files no longer listed are dropped with the listing that dropped them. */
  private forgetUnlisted(): void {
    const listed = new Set([...this.listing.js, ...this.listing.py, ...this.listing.facts]);
    for (const f of this.perFileMemo.keys()) if (!listed.has(f)) this.perFileMemo.delete(f);
  }

  fact<T>(key: string, compute: () => T): T {
    this.refresh();
    if (this.facts.has(key)) return this.facts.get(key) as T;
    const v = compute();
    this.facts.set(key, v);
    return v;
  }
}

/** A workspace on disk: stamps are modification times and sizes. */
class DiskIndex extends BaseIndex {
  private texts = new Map<string, { stamp: string; text?: string }>();
  private stamps = new Map<string, string>();

  protected scan() {
    const js: string[] = [];
    const py: string[] = [];
    const facts: string[] = [];
    const stamps = new Map<string, string>();
    const queue = [this.root];
    let visited = 0;
    while (queue.length && js.length + py.length < MAX_FILES && visited < MAX_VISITED) {
      const dir = queue.shift()!;
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { continue; }
      for (const e of entries) {
        visited++;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) { if (entersFolder(e.name)) queue.push(p); continue; }
        if (!e.isFile()) continue;
        const lang = langOf(e.name);
        const fact = !lang && facts.length < MAX_FACT_FILES && isWorkspaceFactFile(path.relative(this.root, p).replace(/\\/g, '/'));
        if (!lang && !fact) continue;
        let st: fs.Stats;
        try { st = fs.statSync(p); } catch { continue; }
        if (st.size > (fact ? MAX_FACT_BYTES : MAX_BYTES)) continue;
        stamps.set(p, `${st.mtimeMs}:${st.size}`);
        (lang === 'js' ? js : lang === 'py' ? py : facts).push(p);
      }
    }
    this.stamps = stamps;
    for (const f of this.texts.keys()) if (!stamps.has(f)) this.texts.delete(f);
    let stamp = '';
    for (const [f, s] of stamps) stamp += `${f}\0${s}\n`;
    return { js, py, facts, stamp };
  }

  protected readFresh(file: string): string | undefined {
    const stamp = this.stamps.get(file);
    if (stamp === undefined) return undefined;
    const hit = this.texts.get(file);
    if (hit && hit.stamp === stamp) return hit.text;
    let text: string | undefined;
    try { text = fs.readFileSync(file, 'utf8'); } catch { text = undefined; }
    this.texts.set(file, { stamp, text });
    return text;
  }
}

/** A workspace read through functions: checked on every use (it is small, and its files change between fix passes). */
class ReaderIndex extends BaseIndex {
  constructor(public reader: WorkspaceReader) { super(reader.root); }
  protected override due(): boolean { return true; }
  protected scan() {
    const all = this.reader.findFiles((rel) => (!!langOf(rel) || isWorkspaceFactFile(rel)) && !rel.split('/').some((d) => SKIP_DIRS.has(d)), MAX_FILES + MAX_FACT_FILES);
    let stamp = '';
    for (const f of all) stamp += `${f}\0${this.reader.readFile(f) ?? ''}\n`;
    return { js: all.filter((f) => langOf(f) === 'js'), py: all.filter((f) => langOf(f) === 'py'), facts: all.filter((f) => !langOf(f)), stamp };
  }
  protected readFresh(file: string): string | undefined {
    const t = this.reader.readFile(file);
    return t !== undefined && t.length <= (langOf(file) ? MAX_BYTES : MAX_FACT_BYTES) ? t : undefined;
  }
}

/** The engine's indexes: one per root on disk, one per reader. */
export class WorkspaceIndexes {
  private disk = new Map<string, DiskIndex>();
  private readers = new WeakMap<object, ReaderIndex>();

  onDisk(root: string): WorkspaceIndex {
    const key = path.resolve(root);
    let idx = this.disk.get(key);
    if (!idx) {
      idx = new DiskIndex(key);
      this.disk.set(key, idx);
      if (this.disk.size > 16) this.disk.delete(this.disk.keys().next().value as string);
    }
    return idx;
  }

  invalidate(): void { for (const idx of this.disk.values()) idx.stale(); }

  /** Keyed by the reader's findFiles function, which a workspace keeps for its lifetime. */
  of(reader: WorkspaceReader): WorkspaceIndex {
    let idx = this.readers.get(reader.findFiles);
    if (!idx) { idx = new ReaderIndex(reader); this.readers.set(reader.findFiles, idx); }
    // A fix pass reads through an overlay of the files it has written so far.
    idx.reader = reader;
    return idx;
  }
}
