// The stamp of a workspace for cached results that read workspace facts: a hash of the path and
// content of every file the engine's workspace index could list (workspaceIndex.ts: source files
// and fact files, in the folders it enters) plus tsconfig/jsconfig files (import aliases). Any
// change to one of them, a file added or a file removed changes the stamp. Content, not
// modification times: a fresh checkout in CI (new times, same files) keeps its cached results.
import * as fs from 'fs';
import * as path from 'path';
import { isWorkspaceFactFile } from '../../../rules/kit/model/fact-files';
import { entersFolder, langOf } from '../workspaceIndex';
import { sha256 } from './keys';

/** Above this, a file counts by its size and time: the index does not read files this large anyway. */
const MAX_HASHED_BYTES = 32 * 1024 * 1024;
/** A tree this large gets no stamp: results that read the workspace are then not cached. */
const MAX_VISITED = 200_000;
const ALIAS_CONFIG = /^[tj]sconfig(?:\.[\w.-]+)?\.json$/i;

/** Content hashes of files, each read at most once per run; null for a file that is absent or unreadable. */
export class ContentHashes {
  private readonly known = new Map<string, string | null>();
  private readonly listings = new Map<string, string[] | null>();

  /** A hash computed elsewhere (a scanned file read before its analysis). */
  set(file: string, hash: string): void { this.known.set(file, hash); }

  /** For a probe `folder/prefix*`: a hash of the folder's entries whose names start with the prefix (marking folders), null when the folder is absent. */
  probe(probe: string): string | null {
    const key = `${probe}\0probe`;
    let h = this.known.get(key);
    if (h !== undefined) return h;
    const dir = path.dirname(probe);
    const prefix = path.basename(probe).replace(/\*$/, '');
    let names = this.listings.get(dir);
    if (names === undefined) {
      try { names = fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? `${e.name}/` : e.name)); } catch { names = null; }
      this.listings.set(dir, names);
    }
    h = names && sha256(names.filter((n) => n.startsWith(prefix)).sort().join('\n')).slice(0, 16);
    this.known.set(key, h);
    return h;
  }

  get(file: string): string | null {
    let h = this.known.get(file);
    if (h !== undefined) return h;
    h = hashFile(file);
    this.known.set(file, h);
    return h;
  }
}

function hashFile(file: string): string | null {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return null;
    if (st.size > MAX_HASHED_BYTES) return `stat:${st.size}:${st.mtimeMs}`;
    return sha256(fs.readFileSync(file));
  } catch {
    return null;
  }
}

/** Modification time of a file (ms), or undefined when it is gone. */
export function mtimeOf(file: string): number | undefined {
  try { return fs.statSync(file).mtimeMs; } catch { return undefined; }
}

/**
 * The workspace stamp of `root` (`value`), and with `newest`, the latest modification time of its
 * files; undefined when the tree is too large to stamp.
 */
export function workspaceStamp(root: string, hashes: ContentHashes, newest = false): { value: string; newest: number } | undefined {
  const lines: string[] = [];
  let latest = 0;
  const queue = [path.resolve(root)];
  let visited = 0;
  while (queue.length) {
    const dir = queue.shift()!;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      if (++visited > MAX_VISITED) return undefined;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (entersFolder(e.name)) queue.push(p);
        continue;
      }
      if (!e.isFile()) continue;
      const rel = path.relative(root, p).replace(/\\/g, '/');
      if (!langOf(e.name) && !isWorkspaceFactFile(rel) && !ALIAS_CONFIG.test(e.name)) continue;
      lines.push(`${rel}\0${hashes.get(p) ?? '-'}`);
      if (newest) latest = Math.max(latest, mtimeOf(p) ?? 0);
    }
  }
  return { value: sha256(lines.sort().join('\n')), newest: latest };
}
