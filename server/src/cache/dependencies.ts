// What an analysis read besides its own file, recorded as it reads, so that a cached result is
// served again only while those things are unchanged (cache/store.ts). Three kinds:
// - the workspace index (rules/kit/model/workspace.ts): facts of every source and fact file, so
//   the result depends on the whole workspace (its stamp, cache/workspaceStamp.ts);
// - a module followed through an import (rules/kit/model/modules.ts): that file's content; an
//   import that did not resolve, or resolved through an alias or a Python package path, depends
//   on the workspace (a file created later may answer it);
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
}

/** Filled in during one analysis. */
export class DependencyLog {
  workspace = false;
  readonly files = new Set<string>();

  done(): Dependencies { return { workspace: this.workspace, files: [...this.files].sort() }; }
}

/** The workspace index, marking the log on every use that reads the workspace. */
export function trackWorkspace(index: WorkspaceIndex, log: DependencyLog): WorkspaceIndex {
  const used = () => { log.workspace = true; };
  return {
    root: index.root,
    files: (lang) => { used(); return index.files(lang); },
    factFiles: () => { used(); return index.factFiles(); },
    read: (file) => { used(); return index.read(file); },
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
      if (!model || !specifier.startsWith('.')) log.workspace = true;
      return model;
    },
  };
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
