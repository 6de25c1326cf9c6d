// A fix as a unified diff in git's form (`diff --git a/p b/p`, `new file mode` for files the fix
// creates), so an agent or a person can apply it with `git apply` or `patch -p1`.
import { formatPatch, structuredPatch } from 'diff';

export interface FileDiff {
  /** Relative to the workspace root, forward slashes. */
  path: string;
  /** Undefined when the file does not exist yet. */
  before: string | undefined;
  after: string;
}

export function unifiedDiff(files: readonly FileDiff[]): string {
  return files.filter((f) => f.before !== f.after).map(fileDiff).join('');
}

function fileDiff(f: FileDiff): string {
  const created = f.before === undefined;
  const patch = structuredPatch(created ? '/dev/null' : `a/${f.path}`, `b/${f.path}`, f.before ?? '', f.after, undefined, undefined, { context: 3 });
  const header = [`diff --git a/${f.path} b/${f.path}`, ...(created ? ['new file mode 100644'] : [])].join('\n') + '\n';
  return header + formatPatch(patch, { includeIndex: false, includeUnderline: false, includeFileHeaders: true });
}
