// The .gitignore dialect (gitignore(5)): comments, negation `!`, directory-only `dir/`, anchoring
// by a leading or inner slash, `*`/`?`/`[...]` within a segment, and `**` across folders.
// Deeper files override shallower ones and, within a file, the last matching pattern wins.

export interface IgnorePattern {
  negate: boolean;
  dirOnly: boolean;
  /** Unanchored patterns (no slash) are tested against the base name at any depth. */
  anchored: boolean;
  re: RegExp;
}

/** Parses the text of one .gitignore (or .git/info/exclude) file. */
export function parseGitignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split('\n')) {
    const p = parseLine(raw);
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
  return { negate, dirOnly, anchored, re: new RegExp(`^${toRegExpSource(line)}$`) };
}

function toRegExpSource(p: string): string {
  let src = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*') {
      let j = i;
      while (p[j] === '*') j++;
      const run = j - i;
      const atSegmentStart = i === 0 || p[i - 1] === '/';
      const atSegmentEnd = j === p.length || p[j] === '/';
      if (run >= 2 && atSegmentStart && atSegmentEnd) {
        if (j === p.length) src += '.*'; // `x/**`: everything inside (and `**` alone: everything)
        else { src += '(?:.*/)?'; j++; } // `**/`: zero or more folders
      } else src += '[^/]*'; // any other run of stars is a plain `*`
      i = j - 1;
    } else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const cls = bracket(p, i);
      if (cls) { src += cls.src; i = cls.end; } else src += '\\[';
    } else if (c === '\\' && i + 1 < p.length) src += escape(p[++i]);
    else src += escape(c);
  }
  return src;
}

/** `[abc]`, `[a-z]`, `[!x]`/`[^x]`; a `]` right after the opening (or negation) is literal. */
function bracket(p: string, start: number): { src: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') { negate = true; i++; }
  let body = '';
  let first = true;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === ']' && !first) return { src: `(?![/])[${negate ? '^' : ''}${body}]`, end: i };
    first = false;
    if (c === '\\' && i + 1 < p.length) body += '\\' + p[++i];
    else if (c === '-') body += '-';
    else body += /[\\\]^]/.test(c) ? '\\' + c : c;
  }
  return undefined;
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
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
    if (p.re.test(p.anchored ? relPath : base)) return !p.negate;
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
