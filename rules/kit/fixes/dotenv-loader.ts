// Whether the app reads `.env` at all, for fixes that move a value there: a framework that loads it
// itself (Next.js, Vite, NestJS ConfigModule, python-decouple, Flask with python-dotenv), a start
// script with `--env-file`, or a `dotenv` / `load_dotenv()` / `read_env()` call somewhere. When
// nothing does and the loader is a dependency, the fix loads it at the top of the file it edits
// (before that module reads the variable); when the loader is not even installed, the fix says so
// instead of adding an import that would fail.
import * as path from 'path';
import type { CodeModel } from '../model/model';
import type { FixContext, TextEdit } from '../rule';
import { quoteOf, usesSemicolons } from './style';

export interface LoaderPlan {
  edits: TextEdit[];
  /** What the user still has to do, for the fix title; undefined when .env will be read. */
  missing?: string;
}

/** JS frameworks and tools that read .env on their own. */
const JS_LOADS_ITSELF = /^(?:next|vite|nuxt|@sveltejs\/kit|astro|@remix-run\/dev|@react-router\/dev|react-scripts|gatsby|expo|@nestjs\/config|@redwoodjs\/core|dotenv-cli|env-cmd|@dotenvx\/dotenvx)$/;
const JS_LOAD_CALL = /require\(\s*['"]dotenv(?:\/config)?['"]\s*\)|from\s+['"]dotenv(?:\/config)?['"]|import\s+['"]dotenv\/config['"]|dotenv\.config\(|@dotenvx\/dotenvx/;
const PY_LOAD_CALL = /\bload_dotenv\s*\(|\bread_env\s*\(|\benv_file\s*=|\bdotenv_values\s*\(|from\s+decouple\s+import|import\s+decouple/;
const SOURCE = /\.(?:[cm]?[jt]sx?|py)$/;
const SKIP = /(?:^|\/)(?:node_modules|\.git|dist|build|\.next|venv|\.venv|__pycache__)\//;

export function planDotenvLoader(ctx: FixContext): LoaderPlan {
  const root = ctx.workspaceRoot;
  if (!root) return { edits: [] };
  return ctx.model.lang === 'py' ? planPython(ctx, root) : planJs(ctx, root);
}

function planJs(ctx: FixContext, root: string): LoaderPlan {
  let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string> } = {};
  try { pkg = JSON.parse(ctx.readFile(path.join(root, 'package.json')) ?? '{}'); } catch { /* an unreadable manifest lists nothing */ }
  const deps = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  if ([...deps].some((d) => JS_LOADS_ITSELF.test(d))) return { edits: [] };
  if (Object.values(pkg.scripts ?? {}).some((s) => /--env-file|dotenv\s|dotenvx\s+run|env-cmd/.test(s))) return { edits: [] };
  if (JS_LOAD_CALL.test(ctx.model.text) || someFileLoads(ctx, JS_LOAD_CALL)) return { edits: [] };
  if (!deps.has('dotenv')) return { edits: [], missing: 'nothing loads .env: run with node --env-file=.env, or add dotenv' };
  return { edits: [jsLoaderEdit(ctx.model)] };
}

function planPython(ctx: FixContext, root: string): LoaderPlan {
  const manifests = ['requirements.txt', 'requirements/base.txt', 'requirements-dev.txt', 'pyproject.toml', 'Pipfile']
    .map((f) => ctx.readFile(path.join(root, f)) ?? '').join('\n').toLowerCase();
  const has = (pkg: string) => new RegExp(`(^|[\\s"'\\[])${pkg}\\b`, 'm').test(manifests);
  if (has('python-decouple')) return { edits: [] };
  if (PY_LOAD_CALL.test(ctx.model.text) || someFileLoads(ctx, PY_LOAD_CALL)) return { edits: [] };
  // `flask run` loads .env by itself once python-dotenv is installed.
  if (has('python-dotenv') && has('flask')) return { edits: [] };
  if (!has('python-dotenv')) return { edits: [], missing: 'nothing loads .env: export the variable, or add python-dotenv and call load_dotenv()' };
  return { edits: [pyLoaderEdit(ctx.model)] };
}

/** Some source file of the workspace loads .env (bounded: the first 400 source files). */
function someFileLoads(ctx: FixContext, call: RegExp): boolean {
  for (const f of ctx.findFiles((rel) => SOURCE.test(rel) && !SKIP.test(rel), 400)) {
    if (call.test(ctx.readFile(f) ?? '')) return true;
  }
  return false;
}

/** `import 'dotenv/config';` (ES modules and TypeScript) or `require('dotenv').config();` as the first statement. */
function jsLoaderEdit(model: CodeModel): TextEdit {
  const q = quoteOf(model);
  const semi = usesSemicolons(model) ? ';' : '';
  const esm = model.imports.some((i) => /^\s*import\b/.test(model.text.slice(i.start, i.end))) || /\.(?:mjs|mts|ts|tsx)$/.test(model.file);
  const line = esm ? `import ${q}dotenv/config${q}${semi}` : `require(${q}dotenv${q}).config()${semi}`;
  const at = afterPreamble(model.text);
  return { start: at, end: at, newText: `${line}\n` };
}

/** `from dotenv import load_dotenv` and `load_dotenv()` after the module's top-level imports. */
function pyLoaderEdit(model: CodeModel): TextEdit {
  const top = model.imports.filter((i) => i.parent?.type === 'Program');
  if (!top.length) {
    const at = afterPreamble(model.text);
    return { start: at, end: at, newText: 'from dotenv import load_dotenv\n\nload_dotenv()\n\n' };
  }
  const last = top[top.length - 1];
  const eol = model.text.indexOf('\n', last.end);
  const at = eol === -1 ? model.text.length : eol + 1;
  return { start: at, end: at, newText: 'from dotenv import load_dotenv\n\nload_dotenv()\n' };
}

/** Past a shebang, `'use strict'`/`'use server'` directives, a module docstring and `from __future__` lines. */
function afterPreamble(text: string): number {
  const re = /^(?:#![^\n]*\n|\s*['"]use [a-z]+['"];?[^\n]*\n|\s*(?:"""[\s\S]*?"""|'''[\s\S]*?''')[^\n]*\n|from __future__ import[^\n]*\n|\s*\n)/;
  let at = 0;
  for (let m = re.exec(text); m && m[0].length; m = re.exec(text.slice(at))) at += m[0].length;
  return at;
}
