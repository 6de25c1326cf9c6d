import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

function isRepoRoot(dir: string): boolean {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name === 'vibeguard';
  } catch {
    return false;
  }
}

function findUp(start: string): string | null {
  let d = path.resolve(start);
  for (;;) {
    if (isRepoRoot(d)) return d;
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

/**
 * The repository root (the folder whose package.json is named "vibeguard"): from
 * VIBEGUARD_ROOT, else above this compiled file (out/test/systems), else above the working
 * directory, so that the harness also works when compiled somewhere else.
 */
export function repoRoot(): string {
  const root = process.env.VIBEGUARD_ROOT ?? findUp(__dirname) ?? findUp(process.cwd());
  if (!root) throw new Error('cannot find the vibeguard repository root; set VIBEGUARD_ROOT');
  return root;
}

/** require() as seen from the repository root, so modules resolve from its node_modules. */
export function repoRequire(id: string): unknown {
  return createRequire(path.join(repoRoot(), 'package.json'))(id);
}
