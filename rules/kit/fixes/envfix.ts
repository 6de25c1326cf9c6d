// Code edits that make an expression read an environment variable and fail loudly when it is
// unset: `requireEnv('NAME')` (a five-line helper added once per file) in JS/TS, `os.environ["NAME"]`
// (KeyError) in Python. Values read inside functions are hoisted to a module constant so a missing
// variable stops the app at start instead of surfacing as a caught error on the first request.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { TextEdit } from '../rule';
import { indentUnit } from '../model/literals';

export const REQUIRE_ENV = 'requireEnv';

export interface EnvReadRequest {
  /** The expression to replace with the read. */
  start: number;
  end: number;
  /** The environment variable (also the name of the hoisted constant). */
  name: string;
  /** Read at module load instead of where the expression sits (it sits inside a function). */
  hoist: boolean;
  /** Quote character to write the variable name with. */
  quote: string;
  /** Python bytes literal being replaced: the read gets `.encode()`. */
  bytes?: boolean;
  /** A module constant holding this exact string may be reused (it is being moved too). */
  value?: string;
}

/**
 * The edits replacing `start..end` with a required read of `name`: inline at module level, through
 * a hoisted module constant inside functions (reusing one that already reads the variable), plus
 * the helper or `import os` when the file lacks it. Reuses the file's quotes, indentation and
 * semicolon style.
 */
export function envReadEdits(model: CodeModel, req: EnvReadRequest): TextEdit[] {
  const py = model.lang === 'py';
  const q = req.quote === "'" || req.quote === '"' ? req.quote : py ? '"' : "'";
  const read = py ? `os.environ[${q}${req.name}${q}]` : `${REQUIRE_ENV}(${q}${req.name}${q})`;
  // A Python bytes literal stays bytes: the (str) variable is encoded where it is used.
  const use = (expr: string) => (req.bytes ? `${expr}.encode()` : expr);
  const edits: TextEdit[] = [];
  let replacement = use(read);
  let declare: string | undefined;
  if (req.hoist) {
    const existing = model.resolve(req.name, nodeAt(model, req.start));
    if (!existing) {
      declare = py ? `${req.name} = ${read}` : `const ${req.name} = ${read}${semicolons(model.text) ? ';' : ''}`;
      replacement = use(req.name);
    } else if (existing.scope === model.root && reusable(existing.value, req)) {
      replacement = use(req.name);
    }
    // Any other binding of that name stays untouched: the read goes inline instead.
  }
  edits.push({ start: req.start, end: req.end, newText: replacement });
  const readsHere = replacement.includes(read);
  const usesRead = readsHere || declare !== undefined;
  const blocks: string[] = [];
  if (usesRead && !py && !model.resolve(REQUIRE_ENV, model.root)) blocks.push(helperSource(model));
  if (declare) blocks.push(declare);
  const imports = usesRead && py && !hasOsModule(model) ? importOs(model) : undefined;
  const prelude = blocks.length ? insertAfterPrelude(model, blocks) : undefined;
  // Both land at the same offset when the constant goes right after the last plain import.
  if (imports && prelude && imports.start === prelude.start) edits.push({ ...imports, newText: imports.newText + prelude.newText });
  else for (const e of [imports, prelude]) if (e) edits.push(e);
  return edits;
}

function nodeAt(model: CodeModel, offset: number): ir.Node {
  let best: ir.Node = model.root;
  ir.walk(model.root, (n) => {
    if (n.start > offset || n.end <= offset) return false;
    best = n;
  });
  return best;
}

/** A module constant that already holds this variable's value: `requireEnv('X')`, `process.env.X`, `os.environ["X"]`, or the same literal. */
function reusable(value: ir.Node | undefined, req: EnvReadRequest): boolean {
  if (!value) return false;
  const u = ir.unwrap(value);
  if (u.type === 'Str') return req.value !== undefined && u.value === req.value;
  if (u.type === 'Call' && u.callee.type === 'Ident' && u.callee.name === REQUIRE_ENV) return u.args[0]?.type === 'Str' && u.args[0].value === req.name;
  if (u.type === 'Member' && u.prop === req.name) {
    const obj = ir.dottedName(u.object);
    return obj === 'process.env' || obj === 'os.environ';
  }
  return false;
}

function hasOsModule(model: CodeModel): boolean {
  const b = model.resolve('os', model.root);
  return !!b && b.kind === 'import' && b.imported === '*' && (b.module === 'os' || b.module?.startsWith('os.') === true);
}

/** Whether the file ends its statements with semicolons (the helper and constants follow suit). */
export function semicolons(text: string): boolean {
  let withSemi = 0;
  let without = 0;
  for (const line of text.split('\n')) {
    const t = line.replace(/\/\/.*$/, '').trimEnd();
    if (!t || /^\s*(?:\/\/|\*|\/\*)/.test(line)) continue;
    if (t.endsWith(';')) withSemi++;
    else if (/[\w'"`)\]]$/.test(t)) without++;
  }
  return withSemi > 0 && withSemi * 4 >= without;
}

function helperSource(model: CodeModel): string {
  const ts = /\.[cm]?tsx?$/i.test(model.file);
  const semi = semicolons(model.text) ? ';' : '';
  const i = indentUnit(model.text);
  return [
    '// Reads a required environment variable and throws when it is unset, so the app never runs without it.',
    `function ${REQUIRE_ENV}(name${ts ? ': string' : ''})${ts ? ': string' : ''} {`,
    `${i}const value = process.env[name]${semi}`,
    `${i}if (!value) throw new Error(\`Missing environment variable \${name}\`)${semi}`,
    `${i}return value${semi}`,
    '}',
  ].join('\n');
}

/** Top-level statements that belong before settings are read: imports, dotenv loading, earlier env reads. */
function isPrelude(model: CodeModel, n: ir.Node): boolean {
  if (n.type === 'Import') return true;
  if (n.type === 'Func') return n.name === REQUIRE_ENV;
  if (n.type === 'ExprStmt') {
    const e = ir.unwrap(n.expr);
    if (e.type === 'Str') return true;
    return e.type === 'Call' && loadsDotenv(model, e);
  }
  if (n.type === 'Assign' && n.value) {
    const v = ir.unwrap(n.value);
    if (startsWithRequire(v)) return true;
    return isEnvConstant(v);
  }
  return false;
}

/** `require('x')`, `require('x').y`, `require('stripe')(key)`. */
function startsWithRequire(n: ir.Node): boolean {
  let cur = n;
  while (cur.type === 'Member' || (cur.type === 'Call' && !isRequireCall(cur))) cur = cur.type === 'Member' ? cur.object : cur.callee;
  return isRequireCall(cur);
}

function isRequireCall(n: ir.Node): boolean {
  return n.type === 'Call' && n.callee.type === 'Ident' && n.callee.name === 'require';
}

function isEnvConstantStmt(n: ir.Node): boolean {
  return n.type === 'Assign' && !!n.value && isEnvConstant(ir.unwrap(n.value));
}

function isEnvConstant(v: ir.Node): boolean {
  if (v.type === 'Call' && v.callee.type === 'Ident' && v.callee.name === REQUIRE_ENV) return true;
  return v.type === 'Member' && ir.dottedName(v.object) === 'os.environ';
}

/** `require('dotenv').config()`, `dotenv.config()`, `config()` from dotenv, `load_dotenv()`. */
function loadsDotenv(model: CodeModel, c: ir.Call): boolean {
  const name = ir.dottedName(c.callee) ?? '';
  if (/^(?:load_dotenv|dotenv\.config|dotenv\.load_dotenv|config)$/.test(name)) {
    const root = name.split('.')[0];
    const mod = model.moduleOf(root)?.module;
    return name === 'load_dotenv' || mod === 'dotenv' || root === 'dotenv';
  }
  return c.callee.type === 'Member' && isRequireCall(c.callee.object);
}

/**
 * Inserts the blocks after the imports (and earlier env constants) at the top of the module, or
 * after a later dotenv load or helper before the first function or class, so the variables are
 * read once `.env` is loaded. A blank line goes before; consecutive env constants stay together.
 */
function insertAfterPrelude(model: CodeModel, blocks: string[]): TextEdit {
  const text = model.text;
  const body = model.root.body;
  let anchor: ir.Node | undefined;
  let i = 0;
  for (; i < body.length && isPrelude(model, body[i]); i++) anchor = body[i];
  for (let j = i; j < body.length; j++) {
    const n = body[j];
    if ((n.type === 'Func' && n.name !== REQUIRE_ENV) || n.type === 'Class') break;
    const loads = n.type === 'ExprStmt' && n.expr.type === 'Call' && loadsDotenv(model, n.expr);
    if (!loads && !(n.type === 'Func' && n.name === REQUIRE_ENV)) continue;
    anchor = n;
    for (let k = j + 1; k < body.length && isEnvConstantStmt(body[k]); k++) anchor = body[k];
  }
  if (!anchor) {
    const first = body.find((n) => !(n.type === 'ExprStmt' && n.expr.type === 'Str'));
    const at = first ? lineStart(text, first.start) : text.length;
    return { start: at, end: at, newText: blocks.join('\n\n') + '\n\n' };
  }
  const nl = text.indexOf('\n', anchor.end);
  const at = nl === -1 ? text.length : nl + 1;
  const prefix = nl === -1 ? '\n' : '';
  const glued = blocks.length === 1 && isEnvConstantStmt(anchor);
  const nextBlank = /^[ \t]*(?:\r?\n|$)/.test(text.slice(at));
  const inserted = blocks.join('\n\n') + '\n';
  if (glued) return { start: at, end: at, newText: prefix + inserted };
  return { start: at, end: at, newText: prefix + '\n' + inserted + (nextBlank ? '' : '\n') };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

const STDLIB = /^(?:abc|argparse|asyncio|base64|collections|contextlib|copy|csv|dataclasses|datetime|decimal|email|enum|functools|glob|hashlib|hmac|http|io|itertools|json|logging|math|pathlib|random|re|secrets|shutil|smtplib|socket|ssl|string|subprocess|sys|tempfile|textwrap|threading|time|traceback|typing|unittest|urllib|uuid|warnings)$/;

/**
 * `import os` where isort would put it: in the standard-library block of the top imports, among
 * its plain `import x` lines in alphabetical order (before its `from` lines); in a block of its
 * own before the first import when there is no such block; before the first statement otherwise.
 */
function importOs(model: CodeModel): TextEdit {
  const text = model.text;
  const body = model.root.body;
  const imports = body.filter((n): n is ir.Import => n.type === 'Import' && n.module !== '__future__');
  const blocks: ir.Import[][] = [];
  for (const imp of imports) {
    const last = blocks[blocks.length - 1]?.at(-1);
    if (last && !/\n[ \t]*\r?\n/.test(text.slice(last.end, imp.start))) blocks[blocks.length - 1].push(imp);
    else blocks.push([imp]);
  }
  const insertAt = (offset: number, newText: string): TextEdit => ({ start: offset, end: offset, newText });
  const stdlib = blocks.find((b) => b.some((n) => STDLIB.test(n.module.split('.')[0])));
  if (stdlib) {
    const plain = stdlib.filter((n) => text.startsWith('import ', n.start));
    const after = plain.find((n) => n.module > 'os');
    if (after) return insertAt(lineStart(text, after.start), 'import os\n');
    const last = plain.at(-1);
    if (last) {
      const nl = text.indexOf('\n', last.end);
      return nl === -1 ? insertAt(text.length, '\nimport os') : insertAt(nl + 1, 'import os\n');
    }
    return insertAt(lineStart(text, stdlib[0].start), 'import os\n');
  }
  if (imports.length) return insertAt(lineStart(text, imports[0].start), 'import os\n\n');
  const first = body.find((n) => !(n.type === 'ExprStmt' && n.expr.type === 'Str') && !(n.type === 'Import' && n.module === '__future__'));
  return insertAt(first ? lineStart(text, first.start) : text.length, 'import os\n\n');
}
