// Adding Python imports a fix needs: `import x` above the first import, or a name added to an
// existing `from module import ...`.
import type * as ir from '../model/ir';
import { lineStartOf } from '../model/literals';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';

/** The local name of a module, adding `import x` above the first import when the file has none. */
export function addPyImport(model: CodeModel, edits: TextEdit[], line: string, module: string): string {
  for (const imp of model.imports) if (imp.module === module) for (const n of imp.names) if (n.imported === '*') return n.local;
  // Among the plain `import x` lines, in alphabetical order; else above the first import.
  const top = model.imports.filter((i) => i.parent?.type === 'Program' && i.module !== '__future__');
  const plain = top.filter((i) => /^import\s/.test(model.text.slice(i.start, i.end)));
  const next = plain.find((i) => i.module > module);
  const lineAfter = (n: ir.Node) => { const nl = model.text.indexOf('\n', n.end); return nl === -1 ? model.text.length : nl + 1; };
  const at = next ? lineStartOf(model.text, next.start) : plain.length ? lineAfter(plain[plain.length - 1]) : top.length ? lineStartOf(model.text, top[0].start) : 0;
  const existing = edits.find((e) => e.start === at && e.end === at && e.newText.endsWith('\n') && /^import /.test(e.newText));
  if (existing) existing.newText = [...existing.newText.trim().split('\n'), line].sort().join('\n') + '\n';
  else edits.push({ start: at, end: at, newText: `${line}\n` });
  return module;
}

/** The local name of `from module import name`, extending an existing import of that module. */
export function addPyFromImport(model: CodeModel, edits: TextEdit[], module: string, name: string): string {
  const imps = model.imports.filter((i) => i.module === module);
  for (const imp of imps) for (const n of imp.names) if (n.imported === name) return n.local;
  // Only a `from module import a` line takes another name; `import module` does not.
  const imp = imps.find((i) => /^from\s/.test(model.text.slice(i.start, i.end)) && !model.text.slice(i.start, i.end).includes('('));
  if (imp) {
    edits.push({ start: imp.end, end: imp.end, newText: `, ${name}` });
    return name;
  }
  const last = model.imports.filter((i) => i.parent?.type === 'Program').pop();
  const at = last ? last.end : 0;
  edits.push({ start: at, end: at, newText: last ? `\nfrom ${module} import ${name}` : `from ${module} import ${name}\n` });
  return name;
}
