// Glob matching for the configuration's `ignore` list: `**` crosses folders, `*` and `?` stay
// within one path segment, every other character is literal. Matching runs in linear time
// (wildmatch.ts), so no pattern can stall a walk.
import { compilePieces, type Matcher, type Piece } from './wildmatch';

const cache = new Map<string, Matcher>();

export function compileGlob(glob: string): Matcher {
  let m = cache.get(glob);
  if (m) return m;
  const pieces: Piece[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        pieces.push({ kind: slash ? 'dirs' : 'any' });
        i += slash ? 2 : 1;
      } else pieces.push({ kind: 'star' });
    } else if (c === '?') pieces.push({ kind: 'one' });
    else pieces.push({ kind: 'char', ch: c });
  }
  m = compilePieces(pieces);
  cache.set(glob, m);
  return m;
}

/** Matches a workspace-relative path (forward slashes) against a glob; a bare name matches at any depth. */
export function matchGlob(glob: string, relPath: string): boolean {
  const g = glob.replace(/^\.\//, '').replace(/\/$/, '/**');
  if (!g.includes('/')) {
    const m = compileGlob(g);
    return relPath.split('/').some((seg) => m.test(seg));
  }
  return compileGlob(g.replace(/^\//, '')).test(relPath);
}
