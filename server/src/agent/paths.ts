// Confinement to a workspace root for tools an agent drives (the MCP server): every path an agent
// names, and every file a fix would write, must lie inside the root. Symbolic links are resolved
// first, so a link inside the root that points outside it does not open a way out.
import * as fs from 'fs';
import * as path from 'path';

export class OutsideRoot extends Error {}

export class WorkspaceRoot {
  /** The root with its symbolic links resolved. */
  readonly dir: string;

  constructor(root: string) {
    this.dir = fs.realpathSync(path.resolve(root));
  }

  /**
   * The absolute path of `p` (relative to the root, or absolute), refused with OutsideRoot when it
   * leads outside. The path need not exist yet (a file a fix creates).
   */
  resolve(p: string): string {
    const abs = path.resolve(this.dir, p);
    const real = realpathOfNearest(abs);
    if (!this.contains(real)) {
      throw new OutsideRoot(`refused: ${p} is outside the workspace root ${this.dir} (Vibe Guard reads and writes only inside it)`);
    }
    return real;
  }

  contains(abs: string): boolean {
    const rel = path.relative(this.dir, abs);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  /** The path relative to the root, with forward slashes, as shown to the agent. */
  relative(abs: string): string {
    const rel = path.relative(this.dir, abs);
    return (rel === '' ? '.' : rel).split(path.sep).join('/');
  }
}

/**
 * The real path of `abs`, or of its nearest existing ancestor with the rest appended. A dangling
 * symbolic link is followed by hand (writing through it would create its target); a loop of links
 * is given up on, and so refused unless its own path is inside.
 */
function realpathOfNearest(abs: string, depth = 0): string {
  const rest: string[] = [];
  for (let p = abs; ; p = path.dirname(p)) {
    try {
      return path.join(fs.realpathSync(p), ...rest.reverse());
    } catch {
      let target: string | undefined;
      try { target = fs.readlinkSync(p); } catch { target = undefined; }
      if (target !== undefined && depth < 40) return realpathOfNearest(path.join(path.resolve(path.dirname(p), target), ...rest.reverse()), depth + 1);
      if (path.dirname(p) === p) return abs;
      rest.push(path.basename(p));
    }
  }
}
