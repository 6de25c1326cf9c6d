// The workspace root of a file: the nearest folder above it holding package.json, pyproject.toml,
// requirements.txt (or the index's own root, which holds .vibeguard.json or .git). A monorepo has
// several: each package's installed versions and deployment are its own.
import * as path from 'path';
import type { WorkspaceIndex } from '../model/workspace';

const ROOT_MARKERS = new Set(['package.json', 'pyproject.toml', 'requirements.txt']);

/** Folders (absolute, resolved) that are workspace roots, once per change of the workspace. */
function rootDirs(ws: WorkspaceIndex): Set<string> {
  return ws.fact('workspace.roots', () => {
    const dirs = new Set([path.resolve(ws.root)]);
    for (const f of ws.factFiles()) if (ROOT_MARKERS.has(path.basename(f))) dirs.add(path.resolve(path.dirname(f)));
    return dirs;
  });
}

/** The workspace root of a file (absolute). */
export function workspaceRootOf(ws: WorkspaceIndex, file: string): string {
  const roots = rootDirs(ws);
  const top = path.resolve(ws.root);
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (roots.has(dir)) return dir;
    if (dir === top || path.dirname(dir) === dir) return top;
  }
}

/** The folders from `dir` up to the index's root, nearest first. */
export function foldersUp(ws: WorkspaceIndex, dir: string): string[] {
  const out: string[] = [];
  const top = path.resolve(ws.root);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    out.push(d);
    if (d === top || path.dirname(d) === d) return out;
  }
}
