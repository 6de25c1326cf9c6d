// poetry.lock: TOML, one `[[package]]` table per installed distribution.
import type { parse as ParseToml } from 'smol-toml' with { 'resolution-mode': 'import' };
import { add, LockfileError, pyName, type Installed } from './lock';

// smol-toml ships a CommonJS build beside its ES module; its types describe the module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse } = require('smol-toml') as { parse: typeof ParseToml };

export function parseTomlPackages(text: string, what: string): Installed {
  let doc: Record<string, unknown>;
  try { doc = parse(text) as Record<string, unknown>; } catch (e) { throw new LockfileError(`not valid TOML (${(e as Error).message.split('\n')[0]})`); }
  const packages = doc.package;
  if (!Array.isArray(packages)) throw new LockfileError(`has no [[package]] tables (not a ${what})`);
  const out: Installed = new Map();
  for (const p of packages as { name?: unknown; version?: unknown }[]) {
    if (typeof p?.name === 'string' && typeof p.version === 'string') add(out, '', pyName(p.name), { version: p.version });
  }
  return out;
}

export const parsePoetryLock = (text: string) => parseTomlPackages(text, 'poetry.lock');
