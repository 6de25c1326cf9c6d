// Where a fix puts a module-level declaration: after the file's last top-level import or
// require, so the names it uses are bound and the declaration reads as part of the setup.
import type { CodeModel } from '../model/model';
import { src } from '../model/literals';

/** Offset of the line after the last top-level import or require (0 when there is none). */
export function afterImports(model: CodeModel): number {
  let end = 0;
  for (const n of model.root.body) {
    const isImport = n.type === 'Import'
      || (n.type === 'Assign' && /\brequire\(/.test(src(model, n)))
      || (n.type === 'Other' && n.children.some((c) => c.type === 'Assign' && /\brequire\(/.test(src(model, c))));
    if (!isImport) continue;
    const nl = model.text.indexOf('\n', n.end);
    end = nl === -1 ? model.text.length : nl + 1;
  }
  return end;
}
