// Source text without its comments: a check read from a handler's text must come from its code,
// not from a comment that talks about it (`// TODO: add rate limiting`).
import type { Lang } from './ir';

/** The text with comments blanked (strings kept, offsets kept). */
export function withoutComments(lang: Lang, text: string): string {
  const out = text.split('');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || (c === '`' && lang === 'js')) {
      const triple = lang === 'py' && text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < text.length && !text.startsWith(close, j) && (triple || c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      i = j + close.length - 1;
      continue;
    }
    const line = lang === 'js' ? c === '/' && text[i + 1] === '/' : c === '#';
    const block = lang === 'js' && c === '/' && text[i + 1] === '*';
    if (!line && !block) continue;
    const end = line ? (text.indexOf('\n', i) + 1 || text.length + 1) - 1 : (text.indexOf('*/', i + 2) + 1 || text.length - 1) + 1;
    for (let k = i; k < end; k++) if (out[k] !== '\n') out[k] = ' ';
    i = end - 1;
  }
  return out.join('');
}

/**
 * Python text with comments and string contents blanked (quotes and offsets kept): what a reader of
 * a file's text (not its tree) matches statements in, so a `class` or `include(` inside a string or
 * comment is not taken for code.
 */
export function maskPy(text: string): string {
  return text.replace(/#[^\n]*|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/g, (m, str) => (str ? str[0] + str.slice(1, -1).replace(/[^\n]/g, ' ') + str[str.length - 1] : m.replace(/[^\n]/g, ' ')));
}
