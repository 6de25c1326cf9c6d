import type { Program } from '../../../rules/kit/model/ir';

/** A syntax error reported by a parser, as offsets into the document text. */
export interface SyntaxProblem { start: number; end: number; message: string }

/** A comment that may carry a suppression directive. */
export interface CommentText { start: number; end: number; text: string }

export interface ParseResult {
  root: Program;
  problems: SyntaxProblem[];
  comments: CommentText[];
  /** No part of the file parsed as code (its whole text is one syntax error). */
  unparsed?: boolean;
  /** Parsed incrementally from the document's previous version. */
  incremental?: boolean;
  /** Then, for JS/TS: how many top-level statements kept their IR. */
  reusedStatements?: number;
}
