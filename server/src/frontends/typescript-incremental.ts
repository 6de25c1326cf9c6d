// Incremental JS/TS parsing for typing: the compiler's incremental parser (ts.updateSourceFile)
// re-parses only around the edit and hands back the untouched statements' nodes, and only the
// top-level statements it re-parsed are converted to the IR again; the others keep their IR,
// re-based by the length change when they lie after the edit. The result is the tree a full
// parse and conversion of the new text gives (test/incremental.test.ts replays the bench's edits
// and compares every version's findings with a from-scratch analysis).
import ts = require('typescript');
import * as ir from '../../../rules/kit/model/ir';
import type { ParseResult } from './types';
import { ConversionGuard } from './guard';
import { changeOf, isLocal } from './change';
import { convertSourceFile, createSourceFile, type StatementIr } from './typescript';

/** What the next parse of the same document builds on: the compiler's tree and the IR per statement. */
export interface TsParseState { file: string; text: string; sf: ts.SourceFile; statements: StatementIr }

/**
 * Parses `text` from scratch, or from `prev` (the same document's previous parse) when there is
 * one. `prev` is spent either way: the compiler's incremental parser moves the old tree's nodes,
 * and its reused IR is re-based in place, so the caller must drop it before calling (a cancelled
 * parse must not leave a half-moved tree behind) and keep only the state this returns.
 */
export function parseTypeScriptIncremental(file: string, text: string, guard: ConversionGuard, prev?: TsParseState): { parsed: ParseResult; state: TsParseState } {
  const change = prev && prev.file === file ? changeOf(prev.text, text) : undefined;
  let sf: ts.SourceFile | undefined;
  if (prev && change && isLocal(change, text.length)) {
    try {
      sf = ts.updateSourceFile(prev.sf, text, ts.createTextChangeRange(ts.createTextSpan(change.start, change.oldEnd - change.start), change.newEnd - change.start));
    } catch {
      // The incremental parser asserts its invariants; when one fails, the full parse is the answer.
      sf = undefined;
    }
  }
  const incremental = sf !== undefined;
  sf ??= createSourceFile(file, text);
  const { parsed, statements, reused } = convertSourceFile(sf, guard, incremental ? prev!.statements : undefined, rebase);
  if (incremental) Object.assign(parsed, { incremental, reusedStatements: reused });
  return { parsed, state: { file, text, sf, statements } };
}

/**
 * Moves reused IR nodes by `delta`: every node of their subtrees (the previous tree's pre-order
 * list from linkParents gives each subtree as a slice) and the offsets nodes carry besides start and
 * end. A static property key's node is not a child (ir.children) and is moved with its property.
 */
function rebase(nodes: ir.Node[], delta: number): void {
  for (const top of nodes) {
    // The previous tree's pre-order list, kept on its root (these nodes' parent until linkParents runs on the new one).
    const order = top.parent?.order;
    if (!order || top.idx === undefined || top.last === undefined || order[top.idx] !== top) throw new Error('reused IR without its pre-order list');
    for (let i = top.idx; i <= top.last; i++) {
      const n = order[i];
      n.start += delta;
      n.end += delta;
      if (n.type === 'Func') n.bodyStart += delta;
      else if (n.type === 'Member') n.propStart += delta;
      else if (n.type === 'Prop' && n.key !== undefined && n.keyNode !== n.value) { n.keyNode.start += delta; n.keyNode.end += delta; }
    }
  }
}
