// Splits an SQL file into statements with their offsets: semicolons end a statement unless they
// sit in a string, a quoted name, a comment or a dollar-quoted body (`$$ ... $$`, `$fn$ ... $fn$`).

export interface Statement { text: string; start: number }

export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const raw = sql.slice(start, end);
    // Comments before the statement are not part of it.
    const lead = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(raw)![0].length;
    if (raw.slice(lead).trim()) out.push({ text: raw.slice(lead).trim(), start: start + lead });
    start = end + 1;
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') { const nl = sql.indexOf('\n', i); i = nl === -1 ? sql.length : nl; continue; }
    if (c === '#' && /(^|\n)\s*$/.test(sql.slice(Math.max(0, i - 80), i))) { const nl = sql.indexOf('\n', i); i = nl === -1 ? sql.length : nl; continue; }
    if (c === '/' && sql[i + 1] === '*') { const e = sql.indexOf('*/', i + 2); i = e === -1 ? sql.length : e + 2; continue; }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c || (sql[j] === '\\' && c === "'") ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) { const e = sql.indexOf(tag, i + tag.length); i = e === -1 ? sql.length : e + tag.length; continue; }
    }
    if (c === ';') push(i);
    i++;
  }
  push(sql.length);
  return out;
}

/** The 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
