// The .gitignore dialect (gitignore(5)): comments, negation `!`, directory-only `dir/`, anchoring
// by a leading or inner slash, `*`/`?`/`[...]` within a segment, and `**` across folders.
// Deeper files override shallower ones and, within a file, the last matching pattern wins.
// Matching runs in linear time (wildmatch.ts), whatever the pattern.
import { compilePieces, type Matcher, type Piece } from '../wildmatch';

export interface IgnorePattern {
  negate: boolean;
  dirOnly: boolean;
  /** Unanchored patterns (no slash) are tested against the base name at any depth. */
  anchored: boolean;
  match: Matcher;
}

/**
 * Parses the text of one .gitignore (or .git/info/exclude) file. Each line stands alone: one
 * that cannot be understood is skipped (as git does) and the others still apply.
 */
export function parseGitignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split('\n')) {
    let p: IgnorePattern | undefined;
    try { p = parseLine(raw); } catch { p = undefined; }
    if (p) out.push(p);
  }
  return out;
}

function parseLine(raw: string): IgnorePattern | undefined {
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (!line || line.startsWith('#')) return undefined;
  // Trailing spaces are dropped unless the last one is escaped (`foo\ `).
  while (line.endsWith(' ') && !line.endsWith('\\ ')) line = line.slice(0, -1);
  if (!line) return undefined;
  let negate = false;
  if (line.startsWith('!')) { negate = true; line = line.slice(1); }
  else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
  let dirOnly = false;
  if (line.endsWith('/')) { dirOnly = true; line = line.replace(/\/+$/, ''); }
  if (!line) return undefined;
  const anchored = line.includes('/');
  if (line.startsWith('/')) line = line.slice(1);
  return { negate, dirOnly, anchored, match: compilePieces(toPieces(line)) };
}

function toPieces(p: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      let j = i;
      while (p[j] === '*') j++;
      const run = j - i;
      const atSegmentStart = i === 0 || p[i - 1] === '/';
      const atSegmentEnd = j === p.length || p[j] === '/';
      if (run >= 2 && atSegmentStart && atSegmentEnd) {
        if (j === p.length) out.push({ kind: 'any' }); // `x/**`: everything inside (and `**` alone: everything)
        else { out.push({ kind: 'dirs' }); j++; } // `**/`: zero or more folders
      } else out.push({ kind: 'star' }); // any other run of stars is a plain `*`
      i = j - 1;
    } else if (c === '?') out.push({ kind: 'one' });
    else if (c === '[') {
      const cls = bracket(p, i);
      if (cls) { out.push(cls.piece); i = cls.end; } else out.push({ kind: 'char', ch: '[' });
    } else if (c === '\\' && i + 1 < p.length) out.push({ kind: 'char', ch: p[++i] });
    else out.push({ kind: 'char', ch: c });
  }
  return out;
}

/**
 * `[abc]`, `[a-z]`, `[!x]`/`[^x]`; a `]` right after the opening (or negation) is literal. A
 * reversed range (`[z-a]`) contains nothing, so it never matches, as in git.
 */
function bracket(p: string, start: number): { piece: Piece; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') { negate = true; i++; }
  let chars = '';
  const ranges: [string, string][] = [];
  const charAt = (k: number): [string, number] => (p[k] === '\\' && k + 1 < p.length ? [p[k + 1], k + 1] : [p[k], k]);
  for (let first = true; i < p.length; i++, first = false) {
    if (p[i] === ']' && !first) return { piece: { kind: 'class', negate, chars, ranges }, end: i };
    const [lo, at] = charAt(i);
    i = at;
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      const [hi, hiAt] = charAt(i + 2);
      ranges.push([lo, hi]);
      i = hiAt;
    } else chars += lo;
  }
  return undefined;
}

/**
 * One file's verdict for a path relative to the file's folder: true (ignored), false (re-included
 * by a `!` pattern) or undefined (no pattern matches).
 */
export function verdict(patterns: readonly IgnorePattern[], relPath: string, isDir: boolean): boolean | undefined {
  const slash = relPath.lastIndexOf('/');
  const base = slash === -1 ? relPath : relPath.slice(slash + 1);
  for (let i = patterns.length - 1; i >= 0; i--) {
    const p = patterns[i];
    if (p.dirOnly && !isDir) continue;
    if (p.match.test(p.anchored ? relPath : base)) return !p.negate;
  }
  return undefined;
}

/** The ignore files in force for a folder, shallowest first; `base` is a folder path with forward slashes. */
export interface IgnoreLevel { base: string; patterns: IgnorePattern[] }

/** Whether a path (absolute, forward slashes) is ignored by the levels in force for its folder. */
export function isGitIgnored(levels: readonly IgnoreLevel[], absPath: string, isDir: boolean): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const { base, patterns } = levels[i];
    const prefix = base.endsWith('/') ? base : base + '/';
    if (!absPath.startsWith(prefix)) continue;
    const v = verdict(patterns, absPath.slice(prefix.length), isDir);
    if (v !== undefined) return v;
  }
  return false;
}
