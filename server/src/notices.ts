// What can be said about a file besides its findings: the kinds of notice, which of them mean the
// file (or part of it) went unanalysed, so that a CI gate fails closed on them, and the notices
// for an analysis that had to stop. Free of heavy imports: the CLI's main thread uses it.
import { BudgetExceeded, isStackOverflow } from './limits';
import { LineIndex } from '../../rules/kit/model/model';

export type NoticeKind =
  /** Syntax errors; the rest of the file was analysed. */
  | 'syntax'
  /** No part of the file parsed as code. */
  | 'unparsable'
  /** Binary-looking content (undecodable bytes, NULs) that does not parse as source. */
  | 'binary'
  /** Not valid UTF-8 but parsed: analysed with replacement characters, never fixed. */
  | 'encoding'
  | 'too-large'
  | 'unsupported'
  | 'unreadable'
  /** A FIFO, socket or device where a source file was expected. */
  | 'special'
  /** The analysis ran past its time budget. */
  | 'budget'
  /** Code nested too deeply for the analysis to follow. */
  | 'too-deep'
  /** An analysis stopped following the code at a depth limit; the rest was analysed. */
  | 'limit'
  /** A workspace fact file (schema, lockfile, deployment config) was skipped or read in part; the file was analysed without its facts. */
  | 'fact-file'
  /** What --fix did not do, and why. */
  | 'fix'
  | 'internal';

/**
 * Notices saying the file was not analysed (or only in part, for reasons other than broken
 * syntax): the CLI's exit code is non-zero on them unless --allow-unanalysed is given.
 */
export const UNANALYSED: ReadonlySet<NoticeKind> = new Set<NoticeKind>(['unparsable', 'binary', 'unreadable', 'budget', 'too-deep', 'internal']);

export interface StopNotice { kind: NoticeKind; message: string; start?: number }

/**
 * The notice for an analysis step that threw: out of time, out of stack (with the place of the
 * deepest nesting: `nestedAt` when the converter saw it, else found by counting brackets), or an
 * internal error. `what` names the step ("parsing", "rule sql-injection").
 */
export function stopNotice(e: unknown, what: string, text: string, nestedAt?: { depth: number; at: number }): StopNotice {
  if (e instanceof BudgetExceeded) {
    return { kind: 'budget', message: `analysis stopped during ${what}: it ran past its time budget of ${e.budgetMs} ms (timeBudgetMs in .vibeguard.json)` };
  }
  if (isStackOverflow(e)) {
    const deepest = nestedAt && nestedAt.depth > 0 ? nestedAt : deepestBracket(text);
    const { line, column } = lineColumn(text, skipSpace(text, deepest.at));
    return { kind: 'too-deep', start: deepest.at, message: `code nested too deeply to analyse during ${what} (${deepest.depth} levels deep at ${line}:${column})` };
  }
  return { kind: 'internal', message: `internal error during ${what}: ${(e as Error)?.message ?? e}` };
}

/** The deepest point of (), [] and {} nesting, ignoring strings and comments only roughly: enough to say where. */
export function deepestBracket(text: string): { depth: number; at: number } {
  let depth = 0;
  let best = { depth: 0, at: 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) { if (++depth > best.depth) best = { depth, at: i }; }
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return best;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const p = new LineIndex(text).position(offset);
  return { line: p.line + 1, column: p.character + 1 };
}
