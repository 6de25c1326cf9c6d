// npm's package-lock.json / npm-shrinkwrap.json: lockfileVersion 1 (`dependencies` tree) and 2/3
// (`packages` keyed by install path: `node_modules/x`, `packages/a/node_modules/x`).
import { add, LockfileError, type Installed } from './lock';

export function parsePackageLock(text: string): Installed {
  let json: { lockfileVersion?: number; packages?: Record<string, { version?: string; link?: boolean }>; dependencies?: Record<string, { version?: string }> };
  try { json = JSON.parse(text); } catch (e) { throw new LockfileError(`not valid JSON (${(e as Error).message})`); }
  if (!json || typeof json !== 'object') throw new LockfileError('not a lockfile object');
  const out: Installed = new Map();
  if (json.packages && typeof json.packages === 'object') {
    for (const [key, entry] of Object.entries(json.packages)) {
      const at = key.lastIndexOf('node_modules/');
      if (at === -1 || !entry || typeof entry.version !== 'string' || entry.link) continue;
      const name = key.slice(at + 'node_modules/'.length);
      const owner = key.slice(0, at).replace(/\/$/, '');
      // Only packages a workspace package resolves directly: `packages/a/node_modules/x` or the root's `node_modules/x`.
      if (owner.includes('node_modules')) continue;
      add(out, owner, name, { version: entry.version });
    }
    return out;
  }
  if (json.dependencies && typeof json.dependencies === 'object') {
    for (const [name, entry] of Object.entries(json.dependencies)) {
      if (entry && typeof entry.version === 'string' && /^\d/.test(entry.version)) add(out, '', name, { version: entry.version });
    }
    return out;
  }
  throw new LockfileError('has neither `packages` nor `dependencies`');
}
