// The result cache of the editor's workspace scan ("Vibe Guard: Scan Workspace"). The client
// names the folder (its extension storage for this workspace: VS Code's own place for an
// extension's files, outside the user's tree, so a Python project gets no node_modules and git
// sees nothing); without one, the scan runs uncached. The language server's main thread hashes
// each file (or the editor's text of an open document) and asks the cache before it sends the
// file to an analysis thread; the thread records what the analysis read, as in the CLI. Cached:
// the file's diagnostics before baselines are applied (they follow the baseline file as it is).
import type { Diagnostic } from 'vscode-languageserver';
import * as path from 'path';
import type { Config } from '../config';
import { readSource } from '../cli/readSource';
import { packageInfo } from '../docsUrl';
import type { Dependencies } from './dependencies';
import { engineFingerprint, optionsHash, sha256 } from './keys';
import { cacheFileFor } from './location';
import { LASTING_NOTICES, ResultStore } from './store';
import { ContentHashes, mtimeOf, workspaceStamp } from './workspaceStamp';

/**
 * The language server's analysis threads look at the workspace's files again at most every 2 s
 * (workspaceIndex.ts, modules.ts): an analysis may see a file as it was up to then. A result that
 * read other files is stored only when none of them changed in this long before its analysis, so
 * the cache never keeps what a thread saw late under the stamp of what is on disk now.
 */
const SETTLED_MS = 2500;

export interface Scanned { findings: number; diagnostics: Diagnostic[] }

/** What an analysis thread answers for a scanned file. */
export interface ScanOutcome { scanned?: Scanned; log?: string; dependsOn?: Dependencies }

interface Slot { root: string; store: ResultStore<Scanned>; hashes: ContentHashes; stamp?: { value: string; newest: number } | null }

export class EditorScanCache {
  /** One cache file per workspace root (each folder of a multi-root workspace has its own). */
  private readonly slots = new Map<string, Slot | null>();

  constructor(private readonly dir: string, private readonly workerScript: string, private readonly warn: (m: string) => void) {}

  /** The cached outcome for the file, else `run`'s (asked to record dependencies), stored when it can be reused. */
  async scan(file: string, config: Config, text: string | undefined, run: (recordDependencies: boolean) => Promise<ScanOutcome>): Promise<ScanOutcome> {
    const slot = config.root ? this.slot(config.root) : undefined;
    if (!slot) return run(false);
    let content: string | undefined;
    // An open document is analysed with the editor's text, which may differ from the disk's.
    if (text !== undefined) content = sha256(`editor\0${text}`);
    else {
      const read = readSource(file, config.maxFileSizeKb);
      if ('notice' in read) return run(false);
      content = sha256(read.bytes);
      slot.hashes.set(file, content);
    }
    const key = `${optionsHash({ config })} ${file}`;
    const hit = slot.store.get(key, content);
    if (hit) return { scanned: hit };
    const started = Date.now();
    const out = await run(true);
    const settled = (t: number | undefined) => t !== undefined && t <= started - SETTLED_MS;
    if (out.dependsOn?.workspace && !settled(this.stampOf(slot)?.newest)) return out;
    if (out.dependsOn?.files.some((f) => !settled(mtimeOf(f) ?? 0))) return out;
    if (out.dependsOn?.probes?.some((p) => !settled(mtimeOf(path.dirname(p)) ?? 0))) return out;
    const lasting = out.scanned?.diagnostics.every((d) => typeof d.code !== 'string' || !d.code.startsWith('notice:') || LASTING_NOTICES.has(d.code.slice(7)));
    if (out.scanned && out.dependsOn && lasting) slot.store.put(key, content, out.scanned, out.dependsOn);
    return out;
  }

  /** Writes every cache that changed. */
  save(): void {
    for (const s of this.slots.values()) s?.store.save();
  }

  get hits(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s?.store.hits ?? 0;
    return n;
  }

  private slot(root: string): Slot | undefined {
    const key = path.resolve(root);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      const hashes = new ContentHashes();
      let made: Slot | undefined;
      const store = ResultStore.open<Scanned>(cacheFileFor(this.dir, key, 'editor'), (known) => engineFingerprint(this.workerScript, packageInfo().version, known), {
        isResult: isScanned, hashes, warn: this.warn,
        stamp: () => (made ? this.stampOf(made)?.value : undefined),
      });
      made = store && { root: key, store, hashes };
      slot = made ?? null;
      this.slots.set(key, slot);
    }
    return slot ?? undefined;
  }

  private stampOf(slot: Slot): { value: string; newest: number } | undefined {
    if (slot.stamp === undefined) slot.stamp = workspaceStamp(slot.root, slot.hashes, true) ?? null;
    return slot.stamp ?? undefined;
  }
}

function isScanned(v: unknown): v is Scanned {
  if (!v || typeof v !== 'object') return false;
  const s = v as Record<string, unknown>;
  return typeof s.findings === 'number' && Array.isArray(s.diagnostics)
    && s.diagnostics.every((d: Record<string, unknown>) => d && typeof d === 'object' && typeof d.message === 'string' && !!d.range && typeof d.range === 'object');
}
