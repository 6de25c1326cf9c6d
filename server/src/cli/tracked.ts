// Files git tracks under a folder. A .gitignore only stops untracked files from being added; a
// file committed before (or force-added) stays in the repository and ships with it, so the scan
// analyses it as git itself keeps it.
import { spawnSync } from 'child_process';
import * as path from 'path';

export class TrackedFiles {
  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();

  /** Tracked files under `dir` (absolute paths); empty outside a work tree or without git. */
  static under(dir: string): TrackedFiles {
    const t = new TrackedFiles();
    const r = spawnSync('git', ['-C', dir, 'ls-files', '-z', '--cached', '--full-name', '--', '.'], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, timeout: 30_000 });
    if (r.status !== 0 || !r.stdout) return t;
    const top = spawnSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', timeout: 10_000 });
    if (top.status !== 0) return t;
    const root = top.stdout.trim();
    for (const rel of r.stdout.toString('utf8').split('\0')) {
      if (!rel) continue;
      const abs = path.join(root, rel);
      t.files.add(abs);
      for (let d = path.dirname(abs); d.length >= root.length && !t.dirs.has(d); d = path.dirname(d)) t.dirs.add(d);
    }
    return t;
  }

  has(abs: string): boolean { return this.files.has(abs); }
  /** A folder holding at least one tracked file. */
  hasUnder(absDir: string): boolean { return this.dirs.has(absDir); }
  get size(): number { return this.files.size; }
}
