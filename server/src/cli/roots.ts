// The workspace root of each scanned file, for fixes: where `.env` and helper modules go, and the
// folder no write of a fix may leave.
import * as path from 'path';
import { projectRoot } from '../writes/root';
import type { ScanOptions } from './types';

const roots = new Map<string, string>();

/**
 * The workspace root of a file: the folder of the configuration file, else the nearest project
 * folder above the file (package.json, pyproject.toml, requirements.txt, .git), else the folder
 * the scan started from when the file lies in it, else the file's own folder.
 */
export function rootFor(file: string, opts: ScanOptions): string {
  if (opts.configRoot) return opts.configRoot;
  const dir = path.dirname(file);
  let root = roots.get(dir);
  if (!root) {
    const scan = path.resolve(opts.workspaceRoot);
    root = projectRoot(dir) ?? (dir === scan || dir.startsWith(scan + path.sep) ? scan : dir);
    roots.set(dir, root);
  }
  return root;
}
