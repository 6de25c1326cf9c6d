// pnpm-lock.yaml (lockfile 5.x, 6.x and 9.x): the versions each importer (`.`, `packages/a`)
// resolves, from `importers` or, in single-project 5.x files, the top-level `dependencies`.
import * as yaml from 'js-yaml';
import { add, LockfileError, type Installed } from './lock';

type Deps = Record<string, string | { version?: string }>;
const KINDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** `1.2.3(react@18.2.0)` and `1.2.3_react@18.2.0` → `1.2.3`; `link:../x` is no installed version. */
const versionOf = (v: string | { version?: string } | undefined): string | undefined => {
  const s = typeof v === 'string' ? v : v?.version;
  return s && /^\d/.test(s) ? s.replace(/[(_].*$/, '') : undefined;
};

export function parsePnpmLock(text: string): Installed {
  let doc: Record<string, unknown>;
  try { doc = yaml.load(text) as Record<string, unknown>; } catch (e) { throw new LockfileError(`not valid YAML (${(e as Error).message.split('\n')[0]})`); }
  if (!doc || typeof doc !== 'object' || !('lockfileVersion' in doc)) throw new LockfileError('has no lockfileVersion');
  const out: Installed = new Map();
  const importers = (doc.importers ?? { '.': doc }) as Record<string, Record<string, Deps>>;
  for (const [importer, deps] of Object.entries(importers)) {
    const dir = importer === '.' ? '' : importer.replace(/\/$/, '');
    for (const kind of KINDS) {
      for (const [name, v] of Object.entries(deps?.[kind] ?? {})) {
        const version = versionOf(v);
        if (version) add(out, dir, name, { version });
      }
    }
  }
  return out;
}
