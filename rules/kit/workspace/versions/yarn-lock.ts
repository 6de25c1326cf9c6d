// yarn.lock: Yarn 1 ("classic", its own indented format) and Yarn 2+ ("berry", YAML with a
// `__metadata` entry). Each entry lists the descriptors (`name@range`) it resolves and the version.
import * as yaml from 'js-yaml';
import { add, LockfileError, type Installed } from './lock';

/** `@scope/name@npm:^1.2.0` → [`@scope/name`, `^1.2.0`]. */
export function splitDescriptor(d: string): [string, string] | undefined {
  const s = d.trim().replace(/^"|"$/g, '');
  const at = s.indexOf('@', 1);
  if (at === -1) return undefined;
  return [s.slice(0, at), s.slice(at + 1).replace(/^npm:/, '')];
}

function addEntry(out: Installed, key: string, version: unknown): void {
  if (typeof version !== 'string') return;
  const byName = new Map<string, string[]>();
  for (const d of key.split(',')) {
    const parts = splitDescriptor(d);
    if (!parts) continue;
    byName.set(parts[0], [...(byName.get(parts[0]) ?? []), parts[1]]);
  }
  for (const [name, ranges] of byName) add(out, '', name, { version, ranges });
}

export function parseYarnLock(text: string): Installed {
  const out: Installed = new Map();
  if (/^__metadata:/m.test(text)) {
    let doc: unknown;
    try { doc = yaml.load(text); } catch (e) { throw new LockfileError(`not valid YAML (${(e as Error).message.split('\n')[0]})`); }
    if (!doc || typeof doc !== 'object') throw new LockfileError('not a lockfile mapping');
    for (const [key, entry] of Object.entries(doc as Record<string, { version?: unknown; linkType?: string }>)) {
      if (key === '__metadata' || !entry || typeof entry !== 'object' || key.includes('@workspace:')) continue;
      addEntry(out, key, entry.version);
    }
    return out;
  }
  // Classic: an unindented `descriptors:` line opens an entry; its `  version "x"` line closes it.
  let key: string | undefined;
  let entries = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      if (!line.endsWith(':')) throw new LockfileError(`unexpected line "${line.slice(0, 60)}"`);
      key = line.slice(0, -1);
      continue;
    }
    const v = /^ {2}version:? "?([^"\s]+)"?\s*$/.exec(line);
    if (v && key !== undefined) { addEntry(out, key, v[1]); key = undefined; entries++; }
  }
  if (!entries && text.trim()) throw new LockfileError('no entry with a version');
  return out;
}
