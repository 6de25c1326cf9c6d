// Adding a JS/TS import a fix needs: the local name of a module or export already imported or
// required (`import crypto from 'crypto'`, `const { rateLimit } = require('express-rate-limit')`), or
// a new import in the file's module style (ESM import or CommonJS require), quoting and semicolons,
// below the module's last import or require.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';
import { quoteOf, usesSemicolons } from './style';

/** The local name bound to a whole module (namespace, default import or plain require), if any. */
export function moduleLocal(model: CodeModel, module: string): string | undefined {
  const same = (m: string) => m === module || m === `node:${module}`;
  for (const i of model.imports) {
    if (!same(i.module)) continue;
    const n = i.names.find((x) => x.imported === '*' || x.imported === 'default');
    if (n) return n.local;
  }
  for (const c of model.calls) {
    if (c.callee.type !== 'Ident' || c.callee.name !== 'require' || c.args[0]?.type !== 'Str' || !same(c.args[0].value)) continue;
    const a = c.parent;
    if (a?.type === 'Assign' && a.value === c && a.target.type === 'Ident') return a.target.name;
  }
  return undefined;
}

/** Whether the file is an ES module (has an import, or a file type that is one). */
export function isEsm(model: CodeModel): boolean {
  return model.root.body.some((s) => s.type === 'Import') || (/\.(mjs|tsx?|mts)$/.test(model.file) && !/\brequire\s*\(/.test(model.text));
}

/** The module's last top-level import or `require` assignment, below which new imports and helpers go. */
export function lastImport(model: CodeModel): ir.Node | undefined {
  const tops = model.root.body.filter((s) => s.type === 'Import' || (s.type === 'Assign' && !!s.value && /^require\(/.test(model.text.slice(ir.unwrap(s.value).start, ir.unwrap(s.value).end))));
  return tops[tops.length - 1];
}

/** Adds `line` below the last top-level import or require (or at the top, below a directive). */
function insertImportLine(model: CodeModel, edits: TextEdit[], line: string): void {
  const last = lastImport(model);
  if (!last) {
    // Below a leading 'use strict' / "use client" directive, which must stay first.
    const directive = /^(\s*(['"])use [a-z]+\2;?[ \t]*\r?\n)+/.exec(model.text);
    const at = directive ? directive[0].length : 0;
    edits.push({ start: at, end: at, newText: `${line}\n` });
  } else {
    let at = model.text.indexOf('\n', last.end);
    at = at === -1 ? model.text.length : at;
    edits.push({ start: at, end: at, newText: `\n${line}` });
  }
}

/** The local name of a whole module, adding `import * as m from 'm'` / `const m = require('m')` when missing. */
export function addJsModuleImport(model: CodeModel, edits: TextEdit[], module: string, local = module): string {
  const known = moduleLocal(model, module);
  if (known) return known;
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  insertImportLine(model, edits, isEsm(model) ? `import * as ${local} from ${q}${module}${q}${semi}` : `const ${local} = require(${q}${module}${q})${semi}`);
  return local;
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
  insertImportLine(model, edits, line);
  return local;
}

/** The dependencies a workspace's package.json declares (empty when there is none or it does not parse). */
export function declaredDependencies(packageJson: string | undefined): Set<string> {
  if (!packageJson) return new Set();
  try {
    const j = JSON.parse(packageJson) as Record<string, Record<string, string> | undefined>;
    return new Set(Object.keys({ ...j.dependencies, ...j.devDependencies, ...j.peerDependencies }));
  } catch {
    return new Set();
  }
}
