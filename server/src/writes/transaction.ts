// Writing the files of one fix as a transaction: every new content goes to a temporary file
// beside its target first (written in full and flushed), and only when all of them exist are
// they renamed into place, the source file last. A failure before the renames (a full disk, a
// read-only folder, a folder where `.env` should be) leaves every file as it was; a failure
// during them puts back the files already replaced, from hard links to their original contents.
// The result says exactly what happened, file by file.
import * as fs from 'fs';
import * as path from 'path';

export interface PlannedWrite {
  path: string;
  content: Buffer;
  /** Permissions of a file this write creates (an existing file keeps its own). */
  createMode?: number;
}

/** The file-system calls a transaction makes (tests replace them to simulate failures). */
export interface WriteIo {
  openSync(p: string, flags: string, mode?: number): number;
  writeSync(fd: number, buf: Buffer, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  statSync(p: string): fs.Stats;
  renameSync(from: string, to: string): void;
  linkSync(existing: string, newPath: string): void;
  unlinkSync(p: string): void;
  chmodSync(p: string, mode: number): void;
  mkdirSync(p: string): void;
  rmdirSync(p: string): void;
}

export const realIo: WriteIo = {
  openSync: (p, flags, mode) => fs.openSync(p, flags, mode),
  writeSync: (fd, buf, offset, length) => fs.writeSync(fd, buf, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  statSync: (p) => fs.statSync(p),
  renameSync: (a, b) => fs.renameSync(a, b),
  linkSync: (a, b) => fs.linkSync(a, b),
  unlinkSync: (p) => fs.unlinkSync(p),
  chmodSync: (p, m) => fs.chmodSync(p, m),
  mkdirSync: (p) => fs.mkdirSync(p),
  rmdirSync: (p) => fs.rmdirSync(p),
};

export type CommitResult =
  | { ok: true }
  /** Nothing changed: every file is as it was. */
  | { ok: false; unchanged: true; error: string }
  /** A rollback failed too: these files are not as they were (backups named beside them). */
  | { ok: false; unchanged: false; error: string; damaged: string[] };

interface Staged { write: PlannedWrite; tmp: string; existed: boolean; backup?: string; placed?: boolean }

let counter = 0;
function sibling(target: string, suffix: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.vibeguard-${process.pid}-${Date.now().toString(36)}-${counter++}.${suffix}`);
}

function describe(e: unknown, file: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  return `cannot write ${file} (${code ?? (e as Error).message})`;
}

/** Writes all files or none. `writes` are renamed into place in order: put the source file last. */
export function commitWrites(writes: readonly PlannedWrite[], io: WriteIo = realIo): CommitResult {
  const staged: Staged[] = [];
  const created: string[] = [];
  const undo = () => { removeAll(staged.map((s) => s.tmp), io); removeDirs(created, io); };
  // 1. Stage: full contents beside each target; nothing the user sees has changed yet (a new
  // helper module's folder is created here, and removed again if the fix does not go through).
  for (const write of writes) {
    try { makeParents(path.dirname(write.path), created, io); } catch (e) {
      undo();
      return { ok: false, unchanged: true, error: describe(e, write.path) };
    }
    const tmp = sibling(write.path, 'tmp');
    let existed = false;
    let mode = write.createMode ?? 0o666;
    try { mode = io.statSync(write.path).mode & 0o7777; existed = true; } catch { /* a new file */ }
    let fd: number | undefined;
    try {
      fd = io.openSync(tmp, 'wx', mode);
      staged.push({ write, tmp, existed });
      for (let off = 0; off < write.content.length;) off += io.writeSync(fd, write.content, off, write.content.length - off);
      io.fsyncSync(fd);
      io.closeSync(fd);
      fd = undefined;
      // Creation modes are filtered by the umask; an existing file's mode is copied exactly.
      if (existed || write.createMode !== undefined) io.chmodSync(tmp, mode);
    } catch (e) {
      if (fd !== undefined) try { io.closeSync(fd); } catch { /* already failing */ }
      undo();
      return { ok: false, unchanged: true, error: describe(e, write.path) };
    }
  }
  // 2. Commit: keep each original under a hard link, then rename the new content over it.
  for (let i = 0; i < staged.length; i++) {
    const s = staged[i];
    try {
      if (s.existed) {
        s.backup = sibling(s.write.path, 'bak');
        io.linkSync(s.write.path, s.backup);
      }
      io.renameSync(s.tmp, s.write.path);
      s.placed = true;
    } catch (e) {
      const error = describe(e, s.write.path);
      const damaged = rollBack(staged.slice(0, i + 1), io);
      removeAll(staged.map((x) => x.tmp), io);
      if (!damaged.length) removeDirs(created, io);
      return damaged.length ? { ok: false, unchanged: false, error, damaged } : { ok: false, unchanged: true, error };
    }
  }
  removeAll(staged.flatMap((s) => (s.backup ? [s.backup] : [])), io);
  return { ok: true };
}

/** Puts back what was already replaced; returns the files it could not restore. */
function rollBack(staged: Staged[], io: WriteIo): string[] {
  const damaged: string[] = [];
  for (const s of [...staged].reverse()) {
    try {
      if (s.placed && s.backup) io.renameSync(s.backup, s.write.path);
      else if (s.placed) io.unlinkSync(s.write.path);
      else if (s.backup) io.unlinkSync(s.backup);
    } catch {
      damaged.push(s.backup ? `${s.write.path} (original kept as ${s.backup})` : s.write.path);
    }
  }
  return damaged;
}

function removeAll(paths: string[], io: WriteIo): void {
  for (const p of paths) try { io.unlinkSync(p); } catch { /* gone, or never created */ }
}

/** Creates the missing folders above a file, outermost first, recording each one created. */
function makeParents(dir: string, created: string[], io: WriteIo): void {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    try { io.statSync(d); break; } catch { missing.push(d); }
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) { io.mkdirSync(d); created.push(d); }
}

/** Removes folders created for a fix that did not go through, innermost first. */
function removeDirs(dirs: string[], io: WriteIo): void {
  for (const d of [...dirs].reverse()) try { io.rmdirSync(d); } catch { /* not empty or gone */ }
}
