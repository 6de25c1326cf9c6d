// Adding a JavaScript/TypeScript import a fix needs, in the file's module style (ES `import` or
// CommonJS `require`), quoting and semicolons, after the module's last import or require.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';
import { quoteOf, usesSemicolons } from './style';

/** Whether the file is an ES module (has an import, or a file type that is one). */
export function isEsm(model: CodeModel): boolean {
  return model.root.body.some((s) => s.type === 'Import') || (/\.(mjs|tsx?|mts)$/.test(model.file) && !/\brequire\s*\(/.test(model.text));
}

/**
 * The local name of `name` exported by `module` (`default` for the default export), adding
 * `import { name } from 'module'` / `const { name } = require('module')` when the file lacks it.
 */
export function addJsImport(model: CodeModel, edits: TextEdit[], module: string, name: string, local = name): string {
  for (const i of model.imports) {
    if (i.module !== module) continue;
    const n = i.names.find((x) => x.imported === name || (name === 'default' && x.imported === '*' && !isEsm(model)));
    if (n) return n.local;
  }
  for (const bound of model.bindings(model.root).keys()) {
    const m = model.moduleOf(bound);
    if (m && m.module === module && (m.imported === name || (name === 'default' && m.imported === '*'))) return bound;
  }
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  const esm = isEsm(model);
  const line = name === 'default'
    ? (esm ? `import ${local} from ${q}${module}${q}${semi}` : `const ${local} = require(${q}${module}${q})${semi}`)
    : (esm ? `import { ${name === local ? name : `${name} as ${local}`} } from ${q}${module}${q}${semi}` : `const { ${name === local ? name : `${name}: ${local}`} } = require(${q}${module}${q})${semi}`);
  const tops = model.root.body.filter((s) => s.type === 'Import' || (s.type === 'Assign' && !!s.value && /^require\(/.test(model.text.slice(ir.unwrap(s.value).start, ir.unwrap(s.value).end))));
  const last = tops[tops.length - 1];
  if (!last) edits.push({ start: 0, end: 0, newText: `${line}\n` });
  else {
    let at = model.text.indexOf('\n', last.end);
    at = at === -1 ? model.text.length : at;
    edits.push({ start: at, end: at, newText: `\n${line}` });
  }
  return local;
}
