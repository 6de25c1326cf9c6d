// Which deployment entries concern a file of the app: the replicated processes that run it (their
// command names it or an entry module importing it; a process whose command is left to the image
// runs the app of its workspace root), and the deployment schedules that start the same job (their
// command, path or handler names the file or the job).
import * as path from 'path';
import type { WorkspaceIndex } from '../../model/workspace';
import { workspaceRootOf } from '../roots';
import { deployFacts, type DeploySchedule, type Replicated } from './index';

const BUILD_DIRS = new Set(['dist', 'build', 'out', 'src', 'lib', '.', '']);
const words = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Path-like words of a command (`node dist/jobs/invoices.js`, `gunicorn app.main:app`), as module paths without extension or build folder. */
function modulePaths(command: string): string[] {
  const out: string[] = [];
  for (const tok of command.split(/[\s"'=,]+/)) {
    const py = /^([A-Za-z_][\w.]*):[\w()]+$/.exec(tok);
    const p = py ? py[1].replace(/\./g, '/') : /[/\\]|\.(?:[cm]?[jt]s|py)$/.test(tok) ? tok.replace(/\.(?:[cm]?[jt]sx?|py)$/, '') : undefined;
    if (p) out.push(p.replace(/\\/g, '/').split('/').filter((s) => !BUILD_DIRS.has(s)).join('/'));
  }
  return out.filter(Boolean);
}

/** The file's module path from its root, without extension, build folder or `__init__`/`index`. */
function modulePathOf(root: string, file: string): string {
  return path.relative(root, file).replace(/\\/g, '/').replace(/\.(?:[cm]?[jt]sx?|py)$/, '').replace(/\/(?:__init__|index)$/, '')
    .split('/').filter((s) => !BUILD_DIRS.has(s)).join('/');
}

const suffixMatch = (a: string, b: string) => a === b || a.endsWith('/' + b) || b.endsWith('/' + a);

/** Whether a command runs the file: it names the file, or an entry module that imports it (transitively). Undefined when it names no module. */
export function commandRunsFile(ws: WorkspaceIndex, command: string, file: string): boolean | undefined {
  const root = workspaceRootOf(ws, file);
  const paths = modulePaths(expandNpmStart(ws, root, command));
  if (!paths.length) return undefined;
  const lang = /\.py$/.test(file) ? 'py' : 'js';
  if (paths.some((p) => suffixMatch(p, modulePathOf(root, file)))) return true;
  // The files a command names, once per command and change of the workspace (every scheduler of every file asks).
  const entries = ws.fact(`deploy.entries:${lang}:${paths.join(' ')}`, () => ws.files(lang).filter((f) => paths.some((p) => suffixMatch(p, modulePathOf(workspaceRootOf(ws, f), f)))));
  return entries.some((e) => reachable(ws, e, lang, file).has(path.resolve(file)));
}

/** Files a module imports, directly or through others (relative JS imports, Python modules of the workspace). */
function reachable(ws: WorkspaceIndex, entry: string, lang: 'js' | 'py', target: string): Set<string> {
  // The analysed file may be an editor buffer the index does not list yet: it counts as present.
  return ws.fact(`deploy.reachable:${entry}:${target}`, () => {
    const files = new Set([...ws.files(lang), target].map((f) => path.resolve(f)));
    const seen = new Set<string>([path.resolve(entry)]);
    const queue = [path.resolve(entry)];
    while (queue.length && seen.size < 2000) {
      const f = queue.shift()!;
      for (const dep of importsOf(ws, f, lang, files)) if (!seen.has(dep)) { seen.add(dep); queue.push(dep); }
    }
    return seen;
  });
}

function importsOf(ws: WorkspaceIndex, file: string, lang: 'js' | 'py', files: Set<string>): string[] {
  const text = ws.read(file) ?? '';
  const out: string[] = [];
  const first = (cands: string[]) => { const hit = cands.find((c) => files.has(c)); if (hit) out.push(hit); };
  if (lang === 'js') {
    for (const m of text.matchAll(/(?:from\s+|require\s*\(\s*|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]*)['"]/g)) {
      const base = path.resolve(path.dirname(file), m[1]).replace(/\.[cm]?js$/, '');
      first(['', '.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '/index.ts', '/index.js'].map((e) => base + e));
    }
    return out;
  }
  const root = workspaceRootOf(ws, file);
  for (const m of text.matchAll(/^\s*(?:from\s+(\.*)([\w.]*)\s+import\s+\(?([\w, \n]+)\)?|import\s+([\w.]+))/gm)) {
    const dots = m[1]?.length ?? 0;
    const base = dots ? path.resolve(path.dirname(file), ...Array(dots - 1).fill('..')) : root;
    const mods = m[4] ? [m[4]] : [m[2], ...m[3].split(',').map((n) => `${m[2] ? m[2] + '.' : ''}${n.trim()}`)];
    for (const mod of mods.filter(Boolean)) { const p = path.join(base, ...mod.split('.')); first([p + '.py', path.join(p, '__init__.py')]); }
  }
  return out;
}

/** `npm start` / `yarn start` / `npm run x`: the script of the root's package.json. */
function expandNpmStart(ws: WorkspaceIndex, root: string, command: string): string {
  const m = /\b(?:npm|yarn|pnpm)\s+(?:run\s+)?([\w:-]+)/.exec(command);
  if (!m) return command;
  try {
    const scripts = JSON.parse(ws.read(path.join(root, 'package.json')) ?? '{}').scripts ?? {};
    return typeof scripts[m[1]] === 'string' ? `${command} ${scripts[m[1]]}` : command;
  } catch { return command; }
}

/** The processes that run the file as several copies at once. */
export function replicasRunning(ws: WorkspaceIndex, file: string): Replicated[] {
  const root = workspaceRootOf(ws, file);
  const py = /\.py$/.test(file);
  const mine = deployFacts(ws).replicas.filter((r) => (isUnder(r.file, root) || isUnder(root, path.dirname(r.file)))
    && (r.kind === 'PM2 cluster' ? !py : r.kind === 'gunicorn workers' || r.kind === 'uvicorn workers' ? py : true));
  const runs = new Map(mine.map((r) => [r, r.runs ? commandRunsFile(ws, r.runs, file) : undefined]));
  // Processes whose command leads to the file decide; only when none does, processes whose command is unknown count.
  const named = mine.filter((r) => runs.get(r) === true);
  return named.length ? named : mine.filter((r) => runs.get(r) === undefined);
}

const isUnder = (file: string, dir: string) => { const rel = path.relative(dir, file); return !rel.startsWith('..') && !path.isAbsolute(rel); };

/** The deployment schedules that start the same job: their command, path or handler names the file or one of the job's names. */
export function schedulesOfJob(ws: WorkspaceIndex, file: string, jobNames: string[]): DeploySchedule[] {
  const names = jobNames.map(words).filter((n) => n.length >= 6);
  return deployFacts(ws).schedules.filter((s) => {
    const runs = words(s.runs);
    // A clock process that runs this very file is its dedicated scheduler, not a second one.
    if (s.kind === 'Procfile clock process') return commandRunsFile(ws, s.runs, file) !== true && names.some((n) => runs.includes(n));
    return names.some((n) => runs.includes(n)) || (s.kind !== 'vercel.json cron' && commandRunsFile(ws, s.runs, file) === true);
  });
}
