// Protocol hygiene of the language server: a redacting log, content changes checked before they
// touch a document, and requests refused once shutdown has been requested (as LSP requires).
import { ErrorCodes, ResponseError, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { redactSecrets } from '../../rules/kit/frameworks/redact';

export interface Log { info(m: string): void; warn(m: string): void; error(m: string): void }

/** A log that redacts secrets (error messages and stacks can quote code) before anything is written. */
export function redactingLog(console: Log): Log {
  return {
    info: (m) => console.info(redactSecrets(m)),
    warn: (m) => console.warn(redactSecrets(m)),
    error: (m) => console.error(redactSecrets(m)),
  };
}

const isPosition = (p: unknown): boolean => {
  const q = p as { line?: unknown; character?: unknown } | null;
  return !!q && Number.isInteger(q.line) && Number.isInteger(q.character) && (q.line as number) >= 0 && (q.character as number) >= 0;
};

/**
 * Whether a change is a whole-text replacement (`{ text }`) or a range replacement with valid
 * positions. A range with null or missing positions would be read as offset 0 by the text
 * document library, which then inserts the change in front of the whole text.
 */
export function isValidChange(c: TextDocumentContentChangeEvent): boolean {
  if (!c || typeof (c as { text?: unknown }).text !== 'string') return false;
  const range = (c as { range?: unknown }).range as { start?: unknown; end?: unknown } | undefined;
  if (range === undefined) return true;
  return !!range && isPosition(range.start) && isPosition(range.end);
}

/** Refuses requests once `shutdown` was received: they get InvalidRequest, as LSP requires. */
export class Lifecycle {
  private down = false;

  shutDown(): void { this.down = true; }

  get isShutDown(): boolean { return this.down; }

  guard<A extends unknown[], R>(handler: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      if (this.down) throw new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down: no requests after shutdown');
      return handler(...args);
    };
  }
}
