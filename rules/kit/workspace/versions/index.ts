// Installed versions of the workspace's libraries, from its lockfiles and pins: the version a file
// runs with is the one its workspace root resolves (the nearest lockfile at or above the root; in
// a monorepo lockfile, the entry of the root's own package). Read once per change of the workspace;
// a lockfile that does not parse is skipped with a notice naming it, and the version stays unknown.
import * as path from 'path';
import * as semver from 'semver';
import type { CodeModel } from '../../model/model';
import type { WorkspaceIndex } from '../../model/workspace';
import { foldersUp, workspaceRootOf } from '../roots';
import { LockfileError, pyName, type Candidate, type Installed } from './lock';
import { parsePackageLock } from './package-lock';
import { parseYarnLock } from './yarn-lock';
import { parsePnpmLock } from './pnpm-lock';
import { parsePoetryLock } from './poetry-lock';
import { parseUvLock } from './uv-lock';
import { parseRequirements } from './requirements';

export type Ecosystem = 'npm' | 'pypi';

interface Lockfile { file: string; ecosystem: Ecosystem; installed: Installed }

const PARSERS: { name: RegExp; ecosystem: Ecosystem; parse: (text: string) => Installed }[] = [
  { name: /^(?:package-lock|npm-shrinkwrap)\.json$/, ecosystem: 'npm', parse: parsePackageLock },
  { name: /^yarn\.lock$/, ecosystem: 'npm', parse: parseYarnLock },
  { name: /^pnpm-lock\.yaml$/, ecosystem: 'npm', parse: parsePnpmLock },
  { name: /^poetry\.lock$/, ecosystem: 'pypi', parse: parsePoetryLock },
  { name: /^uv\.lock$/, ecosystem: 'pypi', parse: parseUvLock },
  { name: /^requirements[\w.-]*\.txt$/i, ecosystem: 'pypi', parse: parseRequirements },
];

/** Every lockfile of the workspace, parsed, by folder. */
interface Lockfiles { byDir: Map<string, Lockfile[]>; skipped: { file: string; reason: string }[] }

function lockfiles(ws: WorkspaceIndex): Lockfiles {
  return ws.fact('versions.lockfiles', () => {
    const byDir = new Map<string, Lockfile[]>();
    const skipped: { file: string; reason: string }[] = [];
    for (const file of ws.factFiles()) {
      const parser = PARSERS.find((p) => p.name.test(path.basename(file)));
      if (!parser) continue;
      // Parsed once per version of the file: a change elsewhere in the workspace does not parse it again.
      const parsed = ws.perFile(file, 'versions.lockfile', (text): { installed: Installed } | { error: string } => {
        try { return { installed: parser.parse(text) }; } catch (e) {
          if (!(e instanceof LockfileError)) throw e;
          return { error: e.message };
        }
      });
      if (parsed === undefined) continue;
      if ('error' in parsed) {
        skipped.push({ file, reason: `installed versions not read: ${parsed.error}` });
        continue;
      }
      const installed = parsed.installed;
      const dir = path.resolve(path.dirname(file));
      byDir.set(dir, [...(byDir.get(dir) ?? []), { file, ecosystem: parser.ecosystem, installed }]);
    }
    return { byDir, skipped };
  });
}

export interface InstalledVersion { version: string; file: string }

/** The version of `name` installed for the analysed file's workspace root; undefined when no lockfile or pin says. */
export function installedVersion(model: CodeModel, ecosystem: Ecosystem, name: string): InstalledVersion | undefined {
  const ws = model.workspace;
  if (!ws) return undefined;
  const key = ecosystem === 'pypi' ? pyName(name) : name;
  const root = workspaceRootOf(ws, model.file);
  const { byDir, skipped } = lockfiles(ws);
  // A lockfile that does not parse leaves the version unknown (the rule stays silent): say which and why.
  for (const s of skipped) model.noteSkippedFactFile(s.file, s.reason);
  for (const dir of foldersUp(ws, root)) {
    const locks = (byDir.get(dir) ?? []).filter((l) => l.ecosystem === ecosystem);
    if (!locks.length) continue;
    const importer = path.relative(dir, root).replace(/\\/g, '/');
    for (const lock of locks) {
      const candidates = lock.installed.get(importer)?.get(key) ?? lock.installed.get('')?.get(key);
      const chosen = candidates && choose(ws, root, name, candidates);
      if (chosen) return { version: chosen, file: lock.file };
    }
    // The nearest folder with a lockfile decides: a library it does not list is not installed there.
    return undefined;
  }
  return undefined;
}

/** Of several installed versions, the one the root's package.json range resolved to, else the highest. */
function choose(ws: WorkspaceIndex, root: string, name: string, candidates: Candidate[]): string | undefined {
  const valid = candidates.filter((c) => semver.valid(semver.coerce(c.version)));
  if (valid.length <= 1) return valid[0]?.version;
  const declared = declaredRange(ws, root, name);
  const match = declared && valid.find((c) => c.ranges?.includes(declared));
  if (match) return match.version;
  return valid.map((c) => c.version).sort((a, b) => semver.rcompare(semver.coerce(a)!, semver.coerce(b)!))[0];
}

function declaredRange(ws: WorkspaceIndex, root: string, name: string): string | undefined {
  const text = ws.read(path.join(root, 'package.json'));
  if (!text) return undefined;
  try {
    const pkg = JSON.parse(text);
    return pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? pkg.optionalDependencies?.[name];
  } catch { return undefined; }
}

/** Whether an installed version satisfies a range (`>=2.0.0`); prereleases count as their release. */
export function versionSatisfies(version: string, range: string): boolean {
  const v = semver.coerce(version, { includePrerelease: false });
  return !!v && semver.satisfies(v, range);
}
