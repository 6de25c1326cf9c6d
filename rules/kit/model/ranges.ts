// Nodes of a source-ordered list that lie inside a range (a function body, a block), found by
// binary search: rules ask this per function without scanning the whole file each time.
import type * as ir from './ir';

/** The nodes of `list` (in source order, as the model's node index keeps them) inside `container`. */
export function within<T extends ir.Node>(list: T[], container: ir.Node): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start < container.start) lo = mid + 1; else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < list.length && list[i].start < container.end; i++) if (list[i].end <= container.end) out.push(list[i]);
  return out;
}
