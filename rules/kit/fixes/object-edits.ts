// Edits inside object literals and dicts: adding an entry in the literal's own layout.
import type * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';

/** Adds the entries after the last one of an object literal or dict, in its one-line or multi-line layout. */
export function appendProp(model: CodeModel, o: ir.ObjectLit, ...props: string[]): TextEdit {
  const last = o.props[o.props.length - 1];
  if (!last) return { start: o.start, end: o.end, newText: `{ ${props.join(', ')} }` };
  const between = model.text.slice(last.end, o.end - 1);
  if (between.includes('\n')) {
    const lineStart = model.text.lastIndexOf('\n', last.start) + 1;
    const indent = /^[ \t]*/.exec(model.text.slice(lineStart))![0];
    const comma = between.trimStart().startsWith(',');
    const at = comma ? last.end + between.indexOf(',') + 1 : last.end;
    const lines = props.map((p) => `\n${indent}${p}`).join(',');
    return { start: at, end: at, newText: `${comma ? '' : ','}${lines}${comma ? ',' : ''}` };
  }
  return { start: last.end, end: last.end, newText: props.map((p) => `, ${p}`).join('') };
}
