// Writing string literals back into source: keeps the file's quoting style and escapes
// correctly for the target language.
import * as ir from './ir';
import type { CodeModel } from './model';

export interface QuoteStyle { quote: string; prefix: string; triple: boolean }

/** The quoting of an existing string/template node, read from the source text. */
export function quoteStyleOf(model: CodeModel, n: ir.Node): QuoteStyle {
  const src = model.text.slice(n.start, n.end);
  if (model.lang === 'js') {
    const q = src[0] === '`' || src[0] === '"' || src[0] === "'" ? src[0] : "'";
    return { quote: q, prefix: '', triple: false };
  }
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(src);
  if (!m) return { quote: '"', prefix: '', triple: false };
  return { quote: m[2][0], prefix: m[1].replace(/[fF]/g, ''), triple: m[2].length === 3 };
}

/** The first string-like node inside an expression (for picking a quote style). */
export function firstStringNode(n: ir.Node): ir.Node | undefined {
  return ir.find(n, (x) => x.type === 'Str' || (x.type === 'Template' && !x.tag));
}

/** A JS string literal with the given quote; template literals are used for multi-line text. */
export function jsString(value: string, quote = "'"): string {
  if (quote === '`' || value.includes('\n')) {
    return '`' + value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  }
  const q = quote === '"' ? '"' : "'";
  return q + value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q).replace(/\r/g, '\\r').replace(/\t/g, '\\t') + q;
}

export function pyString(value: string, style: QuoteStyle = { quote: '"', prefix: '', triple: false }): string {
  const raw = style.prefix.toLowerCase().includes('r');
  const triple = style.triple || value.includes('\n');
  const q = style.quote === "'" ? "'" : '"';
  const delim = triple ? q.repeat(3) : q;
  let body = value;
  if (!raw) body = body.replace(/\\/g, '\\\\');
  if (!triple) body = body.replace(new RegExp(q, 'g'), '\\' + q);
  else body = body.replace(new RegExp(q + q + q, 'g'), `${q}${q}\\${q}`);
  return `${style.prefix}${delim}${body}${delim}`;
}

/** Source text of a node. */
export function src(model: CodeModel, n: ir.Node): string {
  return model.text.slice(n.start, n.end);
}

/** The indentation (leading whitespace) of the line holding an offset. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The indentation unit the file uses (two spaces, four spaces or a tab). */
export function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return '  ';
  if (m[1].startsWith('\t')) return '\t';
  return m[1].length >= 4 && m[1].length % 4 === 0 ? '    ' : '  ';
}

/** Start offset of the line holding an offset. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
