// Where a file's workspace ends: the folder of the .vibeguard.json that configures it, else the
// nearest folder above it that marks a project (package.json, pyproject.toml, requirements.txt,
// .git). Fixes write their other files (.env, .gitignore, helpers) there and nowhere outside it.
import * as fs from 'fs';
import * as path from 'path';

const MARKERS = ['package.json', 'pyproject.toml', 'requirements.txt', '.git'];

/** The nearest folder at or above `dir` holding a project marker, or undefined. */
export function projectRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (MARKERS.some((m) => fs.existsSync(path.join(d, m)))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Whether `p` is `root` or lies below it (both absolute). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
