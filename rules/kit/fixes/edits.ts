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
