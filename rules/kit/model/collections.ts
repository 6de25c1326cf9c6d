// How large a collection a loop or fan-out walks can get, as far as the source says: a literal
// handful, a slice of constant length, a chunk of a batched loop, or unknown (rows, request data,
// parameters). Shared by the rules that cost something per element (N+1 queries, unbounded
// fan-outs, quadratic scans): a loop over three constants costs nothing whatever it does.
import * as ir from './ir';
import type { CodeModel } from './model';
import { isConstant, resolveValue } from './constants';

/** Literal collections up to this many elements are a "small constant collection". */
export const SMALL_LITERAL = 50;

/** Names engineers give to one slice of a batched walk. */
const CHUNK_NAME = /(^|_)(chunk|batch|page|slice|group|window|part|bucket)(e?s)?(_|$)|^(chunk|batch|page|slice|group|window|part|bucket)|(Chunk|Batch|Page|Slice|Group|Window|Part|Bucket)s?$/;

/**
 * Why the collection is bounded by the source, or undefined when its size is not known: a literal
 * of at most SMALL_LITERAL elements (directly or through a name bound once, not mutated), the keys
 * or values of such a literal, `range(<constant>)`, `Array.from({ length: <constant> })`,
 * `.slice(a, b)` / `[a:b]` with a constant end, or a chunk of a batched loop.
 */
export function boundedCollection(model: CodeModel, n: ir.Node, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const u = ir.unwrap(n);
  if (u.type === 'ArrayLit' || u.type === 'ObjectLit') return smallLiteral(model, u) ? 'a literal' : undefined;
  if (u.type === 'Str') return 'a literal';
  if (u.type === 'Ident') {
    if (CHUNK_NAME.test(u.name)) return 'one chunk';
    const v = resolveValue(model, u);
    if (v && v !== u && (v.type === 'ArrayLit' || v.type === 'ObjectLit') && isConstant(model, u)) return smallLiteral(model, v) ? 'a constant' : undefined;
    if (v && v !== u && v.type !== 'ArrayLit' && v.type !== 'ObjectLit' && v.type !== 'Ident') return boundedCollection(model, v, depth + 1);
    return loopChunk(model, u);
  }
  if (u.type === 'Member') {
    if (CHUNK_NAME.test(u.prop)) return 'one chunk';
    return undefined;
  }
  if (u.type === 'Index') {
    // Python `items[:20]`.
    const idx = model.text.slice(u.index.start, u.index.end);
    if (/^\s*[\w.]*\s*:\s*\d+\s*$/.test(idx)) return 'a slice of constant length';
    return undefined;
  }
  // `await Promise.all(Array.from({ length: 12 }, make))`: as many results as calls.
  if (u.type === 'Await') return boundedCollection(model, u.arg, depth + 1);
  if (u.type === 'Call') {
    const name = ir.dottedName(u.callee) ?? '';
    if (/^Promise\.(all|allSettled)$/.test(name) && u.args[0]) return boundedCollection(model, u.args[0], depth + 1);
    const last = ir.calleeName(u) ?? '';
    if (/^Object\.(keys|values|entries)$/.test(name) && u.args[0]) return boundedCollection(model, u.args[0], depth + 1);
    if (/^(range|xrange)$/.test(name)) return ir.positional(u).every((a) => isConstant(model, a)) ? 'a constant range' : undefined;
    if (name === 'Array.from' && u.args[0] && ir.unwrap(u.args[0]).type === 'ObjectLit') {
      const len = ir.propOf(ir.unwrap(u.args[0]) as ir.ObjectLit, 'length');
      return len && isConstant(model, len.value) ? 'a constant range' : undefined;
    }
    if (u.callee.type === 'Member') {
      // `xs.slice(0, 10)`, `xs.slice(i, i + 10)`: a window of constant length.
      if (/^(slice|splice|take)$/.test(last) && u.args.length >= 2) {
        const end = u.args[u.args.length - 1];
        const endSrc = model.text.slice(end.start, end.end);
        if (isConstant(model, end) || /\+\s*[\w.]+\s*$/.test(endSrc)) return 'a slice of constant length';
      }
      // Methods that keep or narrow a collection: bounded when their receiver is.
      if (/^(filter|map|flat|flatMap|keys|values|entries|items|sort|reverse|concat|toArray)$/.test(last)) return boundedCollection(model, u.callee.object, depth + 1);
    }
    if (/^(chunk|chunks|batched|chunked|batch|partition|splitEvery)$/.test(last)) return 'chunked';
    if (/^(sorted|reversed|list|tuple|set|enumerate|zip)$/.test(name) && u.args[0]) return boundedCollection(model, u.args[0], depth + 1);
  }
  return undefined;
}

function smallLiteral(model: CodeModel, lit: ir.ArrayLit | ir.ObjectLit): boolean {
  const items = lit.type === 'ArrayLit' ? lit.elements : lit.props;
  return items.length <= SMALL_LITERAL && !items.some((e) => e.type === 'Spread');
}

/** The loop variable of `for (const chunk of chunks)` / `for i in range(0, n, 10)`-style batching. */
function loopChunk(model: CodeModel, id: ir.Ident): string | undefined {
  const b = model.resolve(id);
  if (!b) return undefined;
  for (let p = id.parent; p; p = p.parent) {
    if (p.type === 'Func') return undefined;
    if (p.type !== 'Loop' || !p.target || !p.iter) continue;
    const t = ir.unwrap(p.target);
    if (t.type === 'Ident' && t.name === id.name) {
      const iter = ir.unwrap(p.iter);
      const iterName = iter.type === 'Ident' ? iter.name : iter.type === 'Member' ? iter.prop : ir.dottedName(iter.type === 'Call' ? iter.callee : iter) ?? '';
      return CHUNK_NAME.test(iterName) || /chunk|batch/i.test(iterName) ? 'one chunk' : undefined;
    }
  }
  return undefined;
}
