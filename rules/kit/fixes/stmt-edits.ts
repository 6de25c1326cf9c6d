// Statement-level edits for fixes that move or drop code: deleting whole statement lines (with
// the comment lines that belong to them), and dropping statements from a `finally` block so that
// an emptied `finally` goes too (a try without handlers is unwrapped and its body dedented).
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';
import { lineStartOf } from '../model/literals';

/** Start and end (after the newline) of the lines a statement occupies, when nothing else shares them. */
export function statementLines(model: CodeModel, stmt: ir.Node): { start: number; end: number } | undefined {
  const text = model.text;
  const start = lineStartOf(text, stmt.start);
  // A JS declaration's node starts at its declarator, after `const`/`let`/`var`.
  const lead = stmt.type === 'Assign' && stmt.decl ? /^[ \t]*(export\s+)?(const|let|var)\s+$/ : /^[ \t]*$/;
  if (!lead.test(text.slice(start, stmt.start))) return undefined;
  let end = text.indexOf('\n', stmt.end);
  end = end === -1 ? text.length : end + 1;
  // Only a semicolon and a trailing comment may follow on the last line.
  const rest = text.slice(stmt.end, end).replace(/^\s*;/, '').trim();
  if (rest && !rest.startsWith(model.lang === 'js' ? '//' : '#')) return undefined;
  return { start, end };
}

/** Start of the comment lines directly above a statement (same indentation), or of the statement's line. */
export function withLeadingComments(model: CodeModel, lineStart: number): number {
  const text = model.text;
  const comment = model.lang === 'js' ? /^[ \t]*\/\/.*$/ : /^[ \t]*#.*$/;
  let start = lineStart;
  while (start > 0) {
    const prev = lineStartOf(text, start - 1);
    const line = text.slice(prev, start - 1);
    if (!comment.test(line) || /vibeguard-disable/.test(line)) break;
    start = prev;
  }
  return start;
}

/** The statement that holds an expression (the node whose parent is a block or the program). */
export function statementOf(n: ir.Node): ir.Node | undefined {
  for (let p: ir.Node | undefined = n; p; p = p.parent) {
    if (p.parent && (p.parent.type === 'Block' || p.parent.type === 'Program')) return p;
    if (p.type === 'Func') return undefined;
  }
  return undefined;
}

/**
 * Deletes statements (each alone on its lines). A `finally` block left empty is removed; when its
 * try has no handlers the try is unwrapped: its body replaces it, one indentation level out.
 */
export function deleteStatements(model: CodeModel, stmts: ir.Node[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const byFinally = new Map<ir.Try, ir.Node[]>();
  for (const s of stmts) {
    const block = s.parent;
    const tryNode = block?.parent;
    if (block?.type === 'Block' && tryNode?.type === 'Try' && tryNode.finalizer === block) {
      byFinally.set(tryNode, [...(byFinally.get(tryNode) ?? []), s]);
      continue;
    }
    const lines = statementLines(model, s);
    if (!lines) return undefined;
    edits.push({ start: lines.start, end: lines.end, newText: '' });
  }
  for (const [t, removed] of byFinally) {
    const fin = t.finalizer as ir.Block;
    if (fin.body.some((s) => !removed.includes(s))) {
      for (const s of removed) {
        const lines = statementLines(model, s);
        if (!lines) return undefined;
        edits.push({ start: lines.start, end: lines.end, newText: '' });
      }
      continue;
    }
    const e = t.handlers.length ? dropFinally(model, t) : unwrapTry(model, t);
    if (!e) return undefined;
    edits.push(e);
  }
  return edits;
}

/** `try {...} catch (e) {...} finally {...}` → `try {...} catch (e) {...}`. */
function dropFinally(model: CodeModel, t: ir.Try): TextEdit | undefined {
  const text = model.text;
  const fin = t.finalizer!;
  const last = t.handlers[t.handlers.length - 1];
  if (model.lang === 'js') return { start: last.end, end: fin.end, newText: '' };
  // Python: remove the `finally:` line and its block lines.
  const kw = text.lastIndexOf('finally', fin.start);
  if (kw < last.end) return undefined;
  const start = lineStartOf(text, kw);
  let end = text.indexOf('\n', fin.end);
  end = end === -1 ? text.length : end + 1;
  return { start, end, newText: '' };
}

/** `try { body } finally {}` → `body`, dedented one level. */
function unwrapTry(model: CodeModel, t: ir.Try): TextEdit | undefined {
  const text = model.text;
  const body = t.block as ir.Block;
  if (!body.body.length) return undefined;
  const tryLines = statementLines(model, t);
  if (!tryLines) return undefined;
  if (model.lang === 'js') {
    // Declarations in the try block would move into the enclosing scope: only when no name collides.
    const inner = declaredNames(body.body);
    const outerBlock = t.parent;
    if (outerBlock?.type === 'Block' || outerBlock?.type === 'Program') {
      const outer = declaredNames(outerBlock.body.filter((s) => s !== t));
      if ([...inner].some((n) => outer.has(n))) return undefined;
    }
  } else if (/^[ \t]*else\s*:/m.test(text.slice(t.start, t.finalizer!.start))) {
    return undefined;
  }
  let innerStart: number;
  let innerEnd: number;
  if (model.lang === 'js') {
    // The lines between `try {` and `} finally {`, comments included.
    innerStart = text.indexOf('\n', body.start) + 1;
    innerEnd = lineStartOf(text, body.end - 1);
    if (innerStart <= 0 || text.slice(body.start + 1, innerStart).trim() || text.slice(innerEnd, body.end - 1).trim()) return undefined;
  } else {
    innerStart = lineStartOf(text, body.start);
    innerEnd = text.indexOf('\n', body.end);
    innerEnd = innerEnd === -1 ? text.length : innerEnd + 1;
  }
  const outerIndent = /^[ \t]*/.exec(text.slice(tryLines.start))![0];
  const innerIndent = /^[ \t]*/.exec(text.slice(innerStart))![0];
  if (!innerIndent.startsWith(outerIndent) || innerIndent === outerIndent) return undefined;
  const unit = innerIndent.slice(outerIndent.length);
  const keep = multilineStrings(model, body);
  let out = '';
  let pos = innerStart;
  while (pos < innerEnd) {
    let nl = text.indexOf('\n', pos);
    nl = nl === -1 ? innerEnd : Math.min(nl + 1, innerEnd);
    const line = text.slice(pos, nl);
    const insideString = keep.some(([s, e]) => pos > s && pos < e);
    out += !insideString && line.startsWith(unit) ? line.slice(unit.length) : line;
    pos = nl;
  }
  return { start: tryLines.start, end: tryLines.end, newText: out };
}

/** Names declared by `const`/`let`/`var` (JS) directly in a statement list. */
function declaredNames(stmts: ir.Node[]): Set<string> {
  const out = new Set<string>();
  for (const s of stmts) {
    if (s.type === 'Assign' && s.decl) ir.walk(s.target, (n) => { if (n.type === 'Ident') out.add(n.name); });
    if (s.type === 'Func' && s.name) out.add(s.name);
    if (s.type === 'Class' && s.name) out.add(s.name);
  }
  return out;
}

/** Ranges of string literals spanning several lines, whose inner lines must not be re-indented. */
function multilineStrings(model: CodeModel, root: ir.Node): [number, number][] {
  const out: [number, number][] = [];
  ir.walk(root, (n) => {
    if ((n.type === 'Str' || n.type === 'Template') && model.text.slice(n.start, n.end).includes('\n')) out.push([n.start, n.end]);
  });
  return out;
}
