// Which files a scan analyses: supported source files under the given folders, minus what
// .gitignore files and the configuration's `ignore` globs exclude; node_modules, .git and Python
// virtual environments are never entered. Files git tracks are analysed even where a .gitignore
// matches them, as git keeps them. Files named on the command line are always analysed.
import * as fs from 'fs';
import * as path from 'path';
import { compileGlob, matchGlob } from '../glob';
import { isGitIgnored, parseGitignore, type IgnoreLevel } from './gitignore';
import { languageOf } from '../languages';
import { TrackedFiles } from './tracked';

const NEVER_ENTER = new Set(['node_modules', '.git']);

/** Whether a file name is one the engine analyses (JS/TS and Python, not declaration files). */
export function isSourceFile(name: string): boolean {
  return languageOf(name) !== undefined;
}

export interface WalkOptions {
  /** Folder the configuration's ignore globs are relative to. */
  workspaceRoot: string;
  ignoreGlobs: readonly string[];
}

export interface WalkResult {
  /** Absolute paths, each once. */
  files: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Problems met on the way (unreadable folders), as `path: message`. */
  warnings: string[];
}

export function collectFiles(paths: readonly string[], cwd: string, opts: WalkOptions): WalkResult {
  const seen = new Set<string>();
  const result: WalkResult = { files: [], missing: [], warnings: [] };
  const add = (abs: string) => { if (!seen.has(abs)) { seen.add(abs); result.files.push(abs); } };
  const configIgnore = new ConfigIgnore(opts.workspaceRoot, opts.ignoreGlobs);
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let stat: fs.Stats;
    try { stat = fs.statSync(abs); } catch { result.missing.push(p); continue; }
    if (!stat.isDirectory()) { add(abs); continue; }
    const walker = new Walker(configIgnore, add, result.warnings, TrackedFiles.under(abs));
    walker.walk(abs, ancestorLevels(abs, opts.workspaceRoot), true);
  }
  return result;
}

class Walker {
  constructor(
    private readonly configIgnore: ConfigIgnore,
    private readonly add: (abs: string) => void,
    private readonly warnings: string[],
    private readonly tracked: TrackedFiles,
  ) {}

  /** `onlyTracked`: inside an ignored folder entered for the files git tracks there. */
  walk(dir: string, inherited: readonly IgnoreLevel[], isRoot = false, onlyTracked = false): void {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch (e) {
      this.warnings.push(`${dir}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    // A Python virtual environment (marked by pyvenv.cfg) holds installed packages, like node_modules.
    if (!isRoot && entries.some((e) => e.name === 'pyvenv.cfg')) return;
    let levels = inherited;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      const own = readIgnoreFile(path.join(dir, '.gitignore'));
      if (own.length) levels = [...inherited, { base: toPosix(dir), patterns: own }];
    }
    const posixDir = toPosix(dir);
    for (const e of entries) {
      if (NEVER_ENTER.has(e.name)) continue;
      const abs = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        // Linked files are analysed; linked folders are not followed (git does not, and they can loop).
        try { isFile = fs.statSync(abs).isFile(); } catch { isFile = false; }
        isDir = false;
      }
      if (!isDir && !isFile && isSourceFile(e.name)) {
        // A FIFO, socket or device named like a source file: reading it could block the scan.
        this.warnings.push(`${abs}: not a regular file; skipped`);
        continue;
      }
      if (!isDir && !(isFile && isSourceFile(e.name))) continue;
      const posix = `${posixDir.endsWith('/') ? posixDir : posixDir + '/'}${e.name}`;
      const isTracked = isDir ? this.tracked.hasUnder(abs) : this.tracked.has(abs);
      const ignored = onlyTracked || (levels.length > 0 && isGitIgnored(levels, posix, isDir));
      if (ignored && !isTracked) continue;
      if (isDir) {
        if (!this.configIgnore.prunes(abs)) this.walk(abs, levels, false, ignored);
      } else if (!this.configIgnore.ignores(abs)) this.add(abs);
    }
  }
}

/**
 * The .gitignore files above a scanned folder that apply inside it: from the repository root
 * (the nearest folder holding .git) down, plus .git/info/exclude; outside a repository, from the
 * workspace root down when the folder lies inside it.
 */
function ancestorLevels(dir: string, workspaceRoot: string): IgnoreLevel[] {
  let top = fs.existsSync(path.join(dir, '.git')) ? dir : undefined;
  const above: string[] = [];
  for (let d = dir; !top;) {
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
    above.push(d);
    if (fs.existsSync(path.join(d, '.git'))) top = d;
  }
  if (top === undefined) {
    const rel = path.relative(workspaceRoot, dir);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return [];
    top = workspaceRoot;
  }
  const levels: IgnoreLevel[] = [];
  const exclude = readIgnoreFile(path.join(top, '.git', 'info', 'exclude'));
  if (exclude.length) levels.push({ base: toPosix(top), patterns: exclude });
  // Shallowest first; the scanned folder's own .gitignore is read by the walk.
  for (const d of above.slice(0, above.indexOf(top) + 1).reverse()) {
    const patterns = readIgnoreFile(path.join(d, '.gitignore'));
    if (patterns.length) levels.push({ base: toPosix(d), patterns });
  }
  return levels;
}

function readIgnoreFile(file: string) {
  try { return parseGitignore(fs.readFileSync(file, 'utf8')); } catch { return []; }
}

/** The configuration's `ignore` globs, relative to the workspace root. */
class ConfigIgnore {
  /** Globs that cover whole folders: a bare name (any segment) or a `prefix/**` pattern. */
  private readonly folderGlobs: ((rel: string) => boolean)[] = [];

  constructor(private readonly root: string, private readonly globs: readonly string[]) {
    for (const g of globs) {
      const n = g.replace(/^\.\//, '').replace(/\/$/, '/**');
      if (!n.includes('/')) this.folderGlobs.push((rel) => matchGlob(n, rel));
      else if (n.endsWith('/**')) {
        const m = compileGlob(n.slice(0, -3).replace(/^\//, ''));
        this.folderGlobs.push((rel) => m.test(rel));
      }
    }
  }

  private rel(abs: string): string | undefined {
    const rel = path.relative(this.root, abs);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return toPosix(rel);
  }

  ignores(abs: string): boolean {
    if (!this.globs.length) return false;
    const rel = this.rel(abs);
    return rel !== undefined && this.globs.some((g) => matchGlob(g, rel));
  }

  /** A folder is skipped only when every file inside it would be ignored. */
  prunes(abs: string): boolean {
    if (!this.folderGlobs.length) return false;
    const rel = this.rel(abs);
    return rel !== undefined && this.folderGlobs.some((f) => f(rel));
  }
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
