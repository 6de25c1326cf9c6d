// Editing the workspace's `.env`, `.env.example` and `.gitignore` as text: fixes that move a
// value into the environment compute the new contents here (pure functions, no I/O).

/** Variables defined in a dotenv text (`NAME=value`, `export NAME="value"`); the last definition wins. */
export function parseDotenv(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*("(?:\\[\s\S]|[^"\\])*"|'[^']*'|`[^`]*`|[^\r\n]*)/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const raw = m[2];
    let value: string;
    if (raw.startsWith('"')) value = raw.slice(1, -1).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    else if (raw.startsWith("'") || raw.startsWith('`')) value = raw.slice(1, -1);
    else value = raw.replace(/\s+#.*$/, '').trim();
    out.set(m[1], value);
  }
  return out;
}

export interface EnvSlot {
  /** The variable the code will read. */
  name: string;
  /** Whether `NAME=value` must be appended (false when the .env already holds it). */
  append: boolean;
}

/**
 * The variable to store a value under: `base` when free or already holding the same value,
 * otherwise the first free `base_2`, `base_3`, ... so an existing, different value is never
 * overwritten. With `fixedName` (the code already reads that variable) the name is kept and the
 * value is only added when the variable is missing.
 */
export function chooseEnvSlot(envText: string | undefined, base: string, value: string, fixedName = false): EnvSlot {
  const vars = parseDotenv(envText);
  if (fixedName) return { name: base, append: !vars.has(base) };
  // One value, one name: a secret already in .env under another name (the same key used to sign
  // and to verify) is read from there; short values may coincide by chance, so only long ones.
  if (value.length >= 12) for (const [name, v] of vars) if (v === value) return { name, append: false };
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}_${i}`;
    if (!vars.has(name)) return { name, append: true };
    if (vars.get(name) === value) return { name, append: false };
  }
}

/** `NAME=value` with the quoting dotenv parsers (dotenv, dotenv-expand, python-dotenv) read back verbatim. */
export function dotenvLine(name: string, value: string): string {
  if (/^[A-Za-z0-9_\-.\/:@+=,~%^*?&!]*$/.test(value)) return `${name}=${value}`;
  if (value.includes('\n') || value.includes("'")) {
    return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
  }
  // Single quotes: no `$VAR` expansion, `#` is not a comment, spaces are kept.
  return `${name}='${value}'`;
}

/** Appends a line, adding the missing newline at the end of the existing text first. */
export function appendLine(text: string | undefined, line: string): string {
  if (!text) return `${line}\n`;
  return text + (text.endsWith('\n') ? '' : '\n') + line + '\n';
}

/** Whether the rules of a root `.gitignore` ignore the file `.env` (later rules and negations win). */
export function gitignoreCoversDotenv(text: string | undefined): boolean {
  if (!text) return false;
  let ignored = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    let pattern = negate ? line.slice(1) : line;
    // A trailing slash matches directories only; `.env` is a file.
    if (pattern.endsWith('/')) continue;
    pattern = pattern.replace(/^\*\*\//, '').replace(/^\//, '');
    if (pattern.includes('/')) continue;
    if (globMatches(pattern, '.env')) ignored = !negate;
  }
  return ignored;
}

function globMatches(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else { re += '[' + pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; i = close; }
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i];
    else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  // The name tested is `.env` (four characters), so no pattern can backtrack for long; a class
  // JavaScript rejects (`[z-a]`) matches nothing, as in git.
  try { return new RegExp(`^${re}$`).test(name); } catch { return false; }
}

/** The `.gitignore` content that ignores `.env`, or undefined when it already does. */
export function gitignoreWithDotenv(text: string | undefined): string | undefined {
  if (gitignoreCoversDotenv(text)) return undefined;
  return appendLine(text, '.env');
}

/** The `.env.example` content declaring `NAME=` (no value), or undefined when it already does. */
export function exampleWithName(text: string, name: string): string | undefined {
  if (parseDotenv(text).has(name) || new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*$`, 'm').test(text)) return undefined;
  return appendLine(text, `${name}=`);
}
