// Edits inside object literals, dicts and argument lists: adding entries in the list's own layout
// (one line, or one entry per line with or without a trailing comma).
import type * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';

/** Adds the entries after the last one of an object literal or dict. */
export function appendProp(model: CodeModel, o: ir.ObjectLit, ...props: string[]): TextEdit {
  const last = o.props[o.props.length - 1];
  if (!last) return { start: o.start, end: o.end, newText: `{ ${props.join(', ')} }` };
  return appendAfter(model, last, o.end - 1, props);
}

/** Adds arguments after the last argument of a call (which must have one). */
export function appendArgs(model: CodeModel, call: ir.Call, args: string[]): TextEdit | undefined {
  const last = call.args[call.args.length - 1];
  return last ? appendAfter(model, last, call.end - 1, args) : undefined;
}

function appendAfter(model: CodeModel, last: ir.Node, close: number, entries: string[]): TextEdit {
  const between = model.text.slice(last.end, close);
  if (between.includes('\n')) {
    const lineStart = model.text.lastIndexOf('\n', last.start) + 1;
    const indent = /^[ \t]*/.exec(model.text.slice(lineStart))![0];
    const comma = between.trimStart().startsWith(',');
    const at = comma ? last.end + between.indexOf(',') + 1 : last.end;
    const lines = entries.map((p) => `\n${indent}${p}`).join(',');
    return { start: at, end: at, newText: `${comma ? '' : ','}${lines}${comma ? ',' : ''}` };
  }
  return { start: last.end, end: last.end, newText: entries.map((p) => `, ${p}`).join('') };
}
