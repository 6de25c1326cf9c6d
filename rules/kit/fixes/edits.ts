// Applying text edits: shared by fix-all, the CLI's --fix and the fixture harness.
import type { TextEdit } from '../rule';

/** True when two edit lists touch overlapping ranges (insertions at the same point conflict too). */
export function overlaps(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  for (const x of a) for (const y of b) {
    if (x.start < y.end && y.start < x.end) return true;
    if (x.start === x.end && y.start === y.end && x.start === y.start) return true;
    if ((x.start === x.end && x.start > y.start && x.start < y.end) || (y.start === y.end && y.start > x.start && y.start < x.end)) return true;
  }
  return false;
}

/** Applies non-overlapping edits to a text. Throws on overlap: callers must filter first. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/**
 * One edit covering only the changed middle of a text, so cursors and folds elsewhere stay put
 * and bytes outside it are written back as they were. It never splits a surrogate pair.
 */
export function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) { endB--; endA--; }
  if (endB < before.length && isLowSurrogate(before.charCodeAt(endB))) { endB++; endA++; }
  return { start, end: endB, newText: after.slice(start, endA) };
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
