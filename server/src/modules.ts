// The engine's side of cross-module facts (rules/kit/model/modules.ts): resolves an import
// specifier to a source file of the workspace, the way Node, TypeScript path aliases and Python
// packages do, and parses it once per file version. Files loaded here get no loader of their own,
// so a fact follows one import and no further: bounded work per analysis.
import * as fs from 'fs';
import * as path from 'path';
import type * as ir from '../../rules/kit/model/ir';
import { CodeModel } from '../../rules/kit/model/model';
import type { ModuleLoader } from '../../rules/kit/model/modules';

const JS_EXTS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
const MAX_BYTES = 512 * 1024;
const CACHE_SIZE = 128;

type Parse = (file: string, text: string, lang: ir.Lang) => ir.Program;

/** How long a resolution and a file's stamp are trusted: file-system checks once per analysis burst, not per call. */
const FRESH_MS = 2000;

export class WorkspaceModules implements ModuleLoader {
  private cache = new Map<string, { stamp: string; model?: CodeModel }>();
  private aliases = new Map<string, { prefix: string; targets: string[] }[]>();
  private resolved = new Map<string, { at: number; file?: string; st?: fs.Stats }>();

  constructor(private readonly parse: Parse) {}

  load(fromFile: string, specifier: string, lang: ir.Lang): CodeModel | undefined {
    const key = `${path.dirname(fromFile)}\0${specifier}\0${lang}`;
    const now = Date.now();
    let r = this.resolved.get(key);
    if (!r || now - r.at > FRESH_MS) {
      const file = lang === 'py' ? resolvePython(fromFile, specifier) : this.resolveJs(fromFile, specifier);
      let st: fs.Stats | undefined;
      try { st = file ? fs.statSync(file) : undefined; } catch { st = undefined; }
      r = { at: now, file, st };
      this.resolved.set(key, r);
      if (this.resolved.size > 4096) this.resolved.delete(this.resolved.keys().next().value as string);
    }
    const { file, st } = r;
    if (!file || !st) return undefined;
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    const stamp = `${st.mtimeMs}:${st.size}`;
    const hit = this.cache.get(file);
    if (hit && hit.stamp === stamp) {
      this.cache.delete(file);
      this.cache.set(file, hit);
      return hit.model;
    }
    let model: CodeModel | undefined;
    try {
      const text = fs.readFileSync(file, 'utf8');
      model = new CodeModel(lang, file, text, this.parse(file, text, lang));
    } catch {
      model = undefined;
    }
    this.cache.set(file, { stamp, model });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return model;
  }

  private resolveJs(fromFile: string, spec: string): string | undefined {
    if (spec.startsWith('.')) return withExtension(path.resolve(path.dirname(fromFile), spec));
    for (const { prefix, targets } of this.aliasesFor(path.dirname(fromFile))) {
      if (!spec.startsWith(prefix)) continue;
      for (const t of targets) {
        const found = withExtension(path.join(t, spec.slice(prefix.length)));
        if (found) return found;
      }
    }
    return undefined;
  }

  /** `paths` of the nearest tsconfig.json / jsconfig.json (`"@/*": ["./src/*"]`), else `@/` and `~/` at the package root and its src/. */
  private aliasesFor(dir: string): { prefix: string; targets: string[] }[] {
    const cached = this.aliases.get(dir);
    if (cached) return cached;
    let out: { prefix: string; targets: string[] }[] = [];
    for (let d = dir, i = 0; i < 12; i++) {
      const config = ['tsconfig.json', 'jsconfig.json'].map((f) => path.join(d, f)).find((f) => fs.existsSync(f));
      const paths = config ? readPaths(config) : undefined;
      if (paths) { out = paths; break; }
      if (fs.existsSync(path.join(d, 'package.json'))) {
        out = ['@/', '~/'].map((prefix) => ({ prefix, targets: [path.join(d, 'src'), d] }));
        break;
      }
      const parent = path.dirname(d);
      if (parent === d) break;
      d = parent;
    }
    this.aliases.set(dir, out);
    return out;
  }
}

/** `compilerOptions.paths` as prefix → folders; tsconfig allows comments and trailing commas. */
function readPaths(config: string): { prefix: string; targets: string[] }[] | undefined {
  let json: { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
  try {
    const text = fs.readFileSync(config, 'utf8').replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) => str ?? '').replace(/,(\s*[}\]])/g, '$1');
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const paths = json.compilerOptions?.paths;
  if (!paths) return undefined;
  const base = path.resolve(path.dirname(config), json.compilerOptions?.baseUrl ?? '.');
  return Object.entries(paths)
    .filter(([k]) => k.endsWith('/*'))
    .map(([k, v]) => ({ prefix: k.slice(0, -1), targets: v.filter((t) => t.endsWith('/*')).map((t) => path.resolve(base, t.slice(0, -2))) }));
}

function withExtension(base: string): string | undefined {
  const candidates = [base, ...JS_EXTS.map((e) => base + e), ...JS_EXTS.map((e) => path.join(base, 'index' + e))];
  // ES module imports name the compiled file (`./service.js` for service.ts).
  if (/\.[cm]?js$/.test(base)) candidates.push(...['.ts', '.tsx', '.mts', '.cts'].map((e) => base.replace(/\.[cm]?js$/, e)));
  return candidates.find((c) => isFile(c));
}

/** `.handlers`, `..billing.stripe`, `app.webhooks.handlers`: a module file or a package's `__init__.py`. */
function resolvePython(fromFile: string, spec: string): string | undefined {
  const dots = /^\.*/.exec(spec)![0].length;
  const parts = spec.slice(dots).split('.').filter(Boolean);
  const tryAt = (dir: string) => {
    const base = path.join(dir, ...parts);
    return [base + '.py', path.join(base, '__init__.py')].find((c) => isFile(c));
  };
  if (dots) {
    let dir = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) dir = path.dirname(dir);
    return tryAt(dir);
  }
  // Absolute: from the nearest folder above the file that holds the top-level package.
  for (let dir = path.dirname(fromFile), i = 0; i < 8; i++) {
    const found = tryAt(dir);
    if (found) return found;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}
