// What an analysis read besides its own file, recorded as it reads, so that a cached result is
// served again only while those things are unchanged (cache/store.ts). Three kinds:
// - the workspace index (rules/kit/model/workspace.ts): facts of every source and fact file, so
//   the result depends on the whole workspace (its stamp, cache/workspaceStamp.ts);
// - a module followed through an import (rules/kit/model/modules.ts): that file's content, and the
//   names the resolver (server/src/modules.ts) looks for, so that a file created later that would
//   answer the import (or shadow the one found) counts; an import through a path alias depends on
//   the workspace (tsconfig.json decides where it leads);
// - files a fix read and files it looked for (SARIF `fixes` are computed in the scan).
// Plain data on the way out (`Dependencies`), so results can cross to the CLI's main thread.
import * as fs from 'fs';
import * as path from 'path';
import type * as ir from '../../../rules/kit/model/ir';
import type { CodeModel } from '../../../rules/kit/model/model';
import type { ModuleLoader } from '../../../rules/kit/model/modules';
import type { WorkspaceIndex } from '../../../rules/kit/model/workspace';

export interface Dependencies {
  /** The result read facts of the whole workspace. */
  workspace: boolean;
  /** Other files whose content (or absence) the result depends on (absolute paths). */
  files: string[];
  /**
   * Where an import was looked for: `/w/src/db*` stands for the entries of /w/src whose names start
   * with `db` (db.ts, db.js, the folder db, ...); the result depends on which of them exist.
   */
  probes?: string[];
}

/** Filled in during one analysis. */
export class DependencyLog {
  workspace = false;
  readonly files = new Set<string>();
  readonly probes = new Set<string>();

  done(): Dependencies {
    const out: Dependencies = { workspace: this.workspace, files: [...this.files].sort() };
    if (this.probes.size) out.probes = [...this.probes].sort();
    return out;
  }
}

/** The workspace index, marking the log on every use that reads the workspace. */
export function trackWorkspace(index: WorkspaceIndex, log: DependencyLog): WorkspaceIndex {
  const used = () => { log.workspace = true; };
  return {
    root: index.root,
    files: (lang) => { used(); return index.files(lang); },
    factFiles: () => { used(); return index.factFiles(); },
    read: (file) => { used(); return index.read(file); },
    perFile: (file, key, compute) => { used(); return index.perFile(file, key, compute); },
    fact: (key, compute) => { used(); return index.fact(key, compute); },
  };
}

/** The module loader, recording which file each import reached, or that one reached none. */
export function trackLoader(loader: ModuleLoader, log: DependencyLog): ModuleLoader {
  return {
    load(fromFile: string, specifier: string, lang: ir.Lang): CodeModel | undefined {
      const model = loader.load(fromFile, specifier, lang);
      // Relative specifiers resolve by the files next to the importer alone; the others (path
      // aliases from tsconfig.json, Python package paths) by the workspace's layout.
      if (model) log.files.add(model.file);
      const probes = importProbes(fromFile, specifier, lang);
      if (probes) for (const p of probes) log.probes.add(p);
      else log.workspace = true;
      return model;
    },
  };
}

/**
 * The names server/src/modules.ts looks for to resolve an import, as probes (`folder/prefix*`): for
 * `./db` from `src/a.js`, `src/db*` (db.ts, db.js, db/) and `src/db/index*`; for Python `mod`,
 * `pkg/mod*` (mod.py, mod/) and `pkg/mod/__init__*`, in the importer's folder or the ones above it.
 * Names, not whole folders: /tmp or a home folder above a project changes all the time. Undefined
 * for a path alias.
 */
export function importProbes(fromFile: string, specifier: string, lang: ir.Lang): string[] | undefined {
  if (lang === 'js') {
    if (!specifier.startsWith('.')) return undefined;
    // `./service.js` is also looked for as service.ts.
    const base = path.resolve(path.dirname(fromFile), specifier).replace(/\.[cm]?js$/, '');
    return [`${base}*`, `${path.join(base, 'index')}*`];
  }
  const around = (base: string) => [`${base}*`, `${path.join(base, '__init__')}*`];
  const dots = /^\.*/.exec(specifier)![0].length;
  const parts = specifier.slice(dots).split('.').filter(Boolean);
  let dir = path.dirname(fromFile);
  if (dots) {
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    return around(path.join(dir, ...parts));
  }
  const out: string[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(...around(path.join(dir, ...parts)));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** File access for a fix computed during a scan: what it reads is recorded, what it looks for depends on the workspace. */
export function trackedFixAccess(log: DependencyLog, list: (root: string, pred: (rel: string) => boolean, limit?: number) => string[], root: string | undefined): {
  readFile(p: string): string | undefined;
  findFiles(pred: (rel: string) => boolean, limit?: number): string[];
} {
  return {
    readFile: (p) => {
      log.files.add(path.resolve(p));
      try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; }
    },
    findFiles: (pred, limit) => {
      log.workspace = true;
      return root ? list(root, pred, limit) : [];
    },
  };
}
