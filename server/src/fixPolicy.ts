// What every fix must respect, whichever rule produced it: inserted text uses the line endings of
// the file it lands in (a CRLF file gets CRLF), and a file with syntax errors is only fixed away
// from the damage (before the first error's line) and only when the fixed text parses no worse.
import type { FileChange, FixResult, TextEdit } from '../../rules/kit/rule';
import { applyEdits, minimalEdit } from '../../rules/kit/fixes/edits';

/** The line ending most used in a text ('\n' when it has none). */
export function eolOf(text: string): string {
  if (!text.includes('\r')) return '\n';
  let crlf = 0;
  let cr = 0;
  let lf = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) { if (text.charCodeAt(i + 1) === 10) { crlf++; i++; } else cr++; } else if (c === 10) lf++;
  }
  return crlf >= cr && crlf >= lf ? '\r\n' : cr > lf ? '\r' : '\n';
}

function withEol(s: string, eol: string): string {
  return eol === '\n' && !s.includes('\r') ? s : s.replace(/\r\n|\r|\n/g, eol);
}

export interface FixSubject {
  text: string;
  /** Syntax errors of the analysed text. */
  syntaxErrors: readonly { start: number; end: number }[];
  /** How many syntax errors a text has (a fresh parse). */
  countSyntaxErrors(text: string): number;
  readFile(p: string): string | undefined;
}

/** The fix as it may be applied, or undefined when it must not be (see the file comment). */
export function fitFix(res: FixResult, subject: FixSubject): FixResult | undefined {
  const eol = eolOf(subject.text);
  const edits = res.edits.map((e) => ({ ...e, newText: withEol(e.newText, eol) }));
  if (subject.syntaxErrors.length) {
    // The damage runs from the line of the first error on: a parser's recovery makes what follows unreliable.
    let damageStart = Math.min(...subject.syntaxErrors.map((p) => p.start));
    while (damageStart > 0 && subject.text[damageStart - 1] !== '\n' && subject.text[damageStart - 1] !== '\r') damageStart--;
    if (edits.some((e) => e.end > damageStart || e.start >= damageStart)) return undefined;
    if (subject.countSyntaxErrors(applyEdits(subject.text, edits)) > subject.syntaxErrors.length) return undefined;
  }
  const files = res.files?.map((f) => fitFileChange(f, subject.readFile(f.path)));
  return files ? { edits, files } : { edits };
}

function fitFileChange(f: FileChange, existing: string | undefined): FileChange {
  if (existing === undefined) return f;
  const eol = eolOf(existing);
  if (f.kind === 'edit') return { ...f, edits: f.edits.map((e: TextEdit) => ({ ...e, newText: withEol(e.newText, eol) })) };
  // A whole new content for an existing file: only what changes takes the file's line endings.
  const m = minimalEdit(existing, f.content);
  return { ...f, content: existing.slice(0, m.start) + withEol(m.newText, eol) + existing.slice(m.end) };
}
