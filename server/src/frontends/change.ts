// The one span in which two versions of a document differ: their common prefix and suffix. The
// analysis thread gets whole texts, and several LSP changes may come between two analyses (the
// typing pause merges them); one span covering them all is what the incremental parsers take
// (ts.updateSourceFile, tree-sitter's Tree.edit).

/** Offsets into the old text (`start`, `oldEnd`) and the new one (`start`, `newEnd`). */
export interface Change { start: number; oldEnd: number; newEnd: number }

/** Chunk of a first pass: a substring comparison is a memory compare, much faster than a loop over characters. */
const CHUNK = 256;

/** The changed span; undefined when the texts are equal. */
export function changeOf(before: string, after: string): Change | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p + CHUNK <= max && before.startsWith(after.slice(p, p + CHUNK), p)) p += CHUNK;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s + CHUNK <= max - p && before.endsWith(after.slice(after.length - s - CHUNK, after.length - s), before.length - s)) s += CHUNK;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  // Never split a surrogate pair: the span starts before a low half and ends after a high one.
  if (p > 0 && isLowSurrogate(after.charCodeAt(p))) p--;
  if (s > 0 && isLowSurrogate(after.charCodeAt(after.length - s))) s--;
  return { start: p, oldEnd: before.length - s, newEnd: after.length - s };
}

/** Whether the change is small enough for an incremental parse to pay: a rewrite of most of the file is parsed afresh. */
export function isLocal(c: Change, newLength: number): boolean {
  return (c.oldEnd - c.start) + (c.newEnd - c.start) <= 0.5 * Math.max(newLength, 1);
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
