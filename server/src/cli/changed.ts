// --changed-since REF: the files changed since a git ref and, in each, the lines that changed, from
// `git diff` of the work tree against the merge base of REF and HEAD (what a pull request
// changes, as `git diff REF...` shows it, plus uncommitted edits) and the untracked files that are
// not ignored (every line of them is new).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from './inputError';

/** Changed lines (1-based) per file (absolute, real path); `all` for a new untracked file. */
export type ChangedLines = Map<string, ReadonlySet<number> | 'all'>;

export function changedSince(ref: string, folder: string): ChangedLines {
  const top = git(['rev-parse', '--show-toplevel'], folder, (err) =>
    `--changed-since needs a git work tree, and ${folder} is not in one${err ? ` (${err})` : ''}`);
  const root = fs.realpathSync(top.trim());
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], root, () =>
    `--changed-since: unknown git ref "${ref}" (a shallow clone may lack it: fetch more history, e.g. actions/checkout with fetch-depth: 0)`).trim();
  const base = tryGit(['merge-base', commit, 'HEAD'], root)?.trim() || commit;
  // quotepath=off: paths as written, not octal escapes; -M: a moved file is not new code.
  const diff = git(['-c', 'core.quotepath=off', 'diff', '--no-color', '--no-ext-diff', '--no-textconv', '-U0', '-M', '--diff-filter=d', base, '--'], root, (err) =>
    `--changed-since: git diff against ${ref} failed${err ? `: ${err}` : ''}`);
  const out: ChangedLines = new Map();
  for (const [file, lines] of parseChangedLines(diff)) out.set(path.join(root, file), lines);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z'], root, (err) => `--changed-since: git ls-files failed${err ? `: ${err}` : ''}`);
  for (const file of untracked.split('\0')) if (file) out.set(path.join(root, file), 'all');
  return out;
}

/**
 * The new-side lines of each file in a `git diff -U0` patch. A hunk that only deletes counts the
 * lines on either side of the gap as changed: removing a check can make the code next to it unsafe.
 */
export function parseChangedLines(patch: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  for (const line of patch.split('\n')) {
    if (line.startsWith('+++ ')) {
      const name = unquote(line.slice(4));
      current = undefined;
      if (name.startsWith('b/')) {
        current = new Set();
        out.set(name.slice(2), current);
      }
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!hunk || !current) continue;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    if (count === 0) {
      current.add(start);
      current.add(start + 1);
    } else for (let l = start; l < start + count; l++) current.add(l);
  }
  return out;
}

/** A path as git prints it: C-style quoted (octal escapes are UTF-8 bytes) when it holds odd characters. */
export function unquote(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"')) return s;
  const bytes: number[] = [];
  const ESC: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const body = Array.from(s.slice(1, -1));
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') { bytes.push(...Buffer.from(c, 'utf8')); continue; }
    const next = body[++i];
    if (/[0-7]/.test(next)) { bytes.push(parseInt(body.slice(i, i + 3).join(''), 8)); i += 2; }
    else bytes.push(ESC[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

function tryGit(args: string[], cwd: string): string | undefined {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout : undefined;
}

function git(args: string[], cwd: string, message: (stderr: string) => string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputError(`vibeguard: ${missing ? '--changed-since needs git, and it is not installed' : message(r.error.message)}\n`);
  }
  if (r.status !== 0) throw new InputError(`vibeguard: ${message(r.stderr.trim().split('\n')[0] ?? '')}\n`);
  return r.stdout;
}
