// Which paths a fix may write: inside the workspace root, through no symbolic link (neither the
// file nor a folder between the root and it), and never onto a folder or a special file. Links
// could carry a write (and the secret in it) to any file the user can write on the machine.
import * as fs from 'fs';
import * as path from 'path';
import { isInside } from './root';

/** Why a fix may not write `target`, or undefined when it may. */
export function refuseTarget(root: string, target: string, lstat: (p: string) => fs.Stats = fs.lstatSync): string | undefined {
  const abs = path.resolve(target);
  const base = path.resolve(root);
  if (!isInside(base, abs) || abs === base) return `${abs} is outside the workspace root ${base}`;
  // The root itself may be reached through links (a symlinked home folder); below it, nothing may be one.
  const parts = path.relative(base, abs).split(path.sep);
  let cur = base;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]);
    let st: fs.Stats;
    try { st = lstat(cur); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return `cannot check ${cur} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    const last = i === parts.length - 1;
    if (st.isSymbolicLink()) return `${cur} is a symbolic link; fixes never write through links`;
    if (!last && !st.isDirectory()) return `${cur} is not a folder`;
    if (last && st.isDirectory()) return `${cur} is a folder`;
    if (last && !st.isFile()) return `${cur} is not a regular file`;
  }
  return undefined;
}
