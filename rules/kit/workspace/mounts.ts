// Where other files of the workspace mount this file's routes, and with which middleware: the
// `app.use('/admin', requireAuth, adminRouter)` in server.js that protects every route of
// routes/admin.js, the `app.include_router(admin.router, prefix="/admin", dependencies=[...])` in
// main.py. Read as text (masked: comments and string contents blanked) from the workspace index,
// once per change of the workspace, for every host at once.
import * as path from 'path';
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import type { WorkspaceIndex } from '../model/workspace';
import { maskPy } from '../model/comments';
import { bindings, literal, mask, matching, splitArgs } from '../frameworks/router-mounts';

export interface Mount {
  /** The file that mounts the router. */
  host: string;
  /** The path prefix the router is mounted at, when written as a literal. */
  prefix?: string;
  /** Source text of the middleware given with the mount (`requireAuth`, `Depends(get_admin)`). */
  middleware: string[];
  /** Source text of app-wide middleware the host installs before the mount on the same app (`app.use(auth)`). */
  before: string[];
}

interface RawMount extends Mount { target: string }

const strip = (p: string) => p.replace(/\.[cm]?[jt]sx?$|\.py$/i, '').replace(/[\\/]index$/, '').replace(/[\\/]__init__$/, '');

/** The mounts of the analysed file's routers found in other files of the workspace. */
export function mountsOf(model: CodeModel): Mount[] {
  const ws = model.workspace;
  if (!ws) return [];
  const me = strip(path.resolve(model.file));
  const all = model.lang === 'js' ? ws.fact('mounts:js', () => jsMounts(ws)) : ws.fact('mounts:py', () => pyMounts(ws));
  return all.filter((m) => m.target === me && path.resolve(m.host) !== path.resolve(model.file));
}

/** Every `x.use(...)` in the workspace, per host, with its arguments as source text. */
function jsMounts(ws: WorkspaceIndex): RawMount[] {
  const out: RawMount[] = [];
  for (const host of ws.files('js')) {
    const text = ws.read(host);
    if (!text || !/\.use\s*\(/.test(text)) continue;
    const code = mask(text);
    const binds = bindings(code, text).filter((b) => b.module.startsWith('.'));
    const seen: { owner: string; prefix?: string; args: string[] }[] = [];
    // `app.use(...)`, and chained `Router().use(a).use(b)` (the owner is then the chain).
    for (const m of code.matchAll(/(?:([\w$]+)|\))\s*\.\s*use\s*\(/g)) {
      const open = m.index! + m[0].length - 1;
      const close = matching(code, open);
      if (close === -1) continue;
      const args = splitArgs(code, open + 1, close);
      const prefix = literal(text, code, args[0]);
      const rest = prefix === undefined ? args : args.slice(1);
      const texts = rest.map((a) => text.slice(a.start, a.end).trim());
      const codes = rest.map((a) => code.slice(a.start, a.end).trim());
      const targets = codes.map((c, i) => {
        const inline = /^require\s*\(\s*['"`]([^'"`]+)['"`]\s*\)$/.exec(texts[i]);
        if (inline) return inline[1].startsWith('.') ? inline[1] : undefined;
        const name = /^([\w$]+)(?:\.[\w$]+)*$/.exec(c)?.[1];
        return name ? binds.find((b) => b.local === name)?.module : undefined;
      });
      // The router is the last argument; relative imports before it are middleware (`requireAuth` from ./auth).
      targets.forEach((spec, i) => {
        if (!spec || i !== targets.length - 1) return;
        const target = strip(path.resolve(path.dirname(host), spec));
        const before = seen.filter((s) => s.owner === (m[1] ?? ')') && (s.prefix === undefined || s.prefix === '/' || (prefix ?? '').startsWith(s.prefix))).flatMap((s) => s.args);
        out.push({ host, target, prefix, middleware: texts.slice(0, i), before });
      });
      seen.push({ owner: m[1] ?? ')', prefix, args: texts });
    }
  }
  return out;
}

/** FastAPI `include_router(...)` and Flask `register_blueprint(...)` of routers imported from other modules. */
function pyMounts(ws: WorkspaceIndex): RawMount[] {
  const out: RawMount[] = [];
  for (const host of ws.files('py')) {
    const text = ws.read(host);
    if (!text || !/\.(include_router|register_blueprint)\s*\(/.test(text)) continue;
    const code = maskPy(text);
    for (const m of code.matchAll(/\.(include_router|register_blueprint)\s*\(/g)) {
      const open = m.index! + m[0].length - 1;
      const close = matching(code, open);
      if (close === -1) continue;
      const args = splitArgs(code, open + 1, close).map((a) => text.slice(a.start, a.end).trim());
      const ref = /^([\w.]+)$/.exec(args[0] ?? '')?.[1];
      const target = ref && moduleFileOf(ws, host, text, ref);
      if (!target) continue;
      const kw = (k: string) => args.find((a) => new RegExp(`^${k}\\s*=`).test(a))?.replace(/^\w+\s*=\s*/, '');
      const prefix = /^['"]([^'"]*)['"]$/.exec(kw('prefix') ?? kw('url_prefix') ?? '')?.[1];
      const deps = kw('dependencies');
      out.push({ host, target: strip(target), prefix, middleware: deps ? [deps] : [], before: [] });
    }
  }
  return out;
}

/** The file of the module a Python name comes from: `from app.routers import admin` + `admin.router`, `from .admin import router`. */
function moduleFileOf(ws: WorkspaceIndex, host: string, text: string, ref: string): string | undefined {
  const [head, ...rest] = ref.split('.');
  for (const m of text.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+\(?([^)\n]*(?:\n[^)\n]*)*?)\)?\s*$/gm)) {
    for (const part of m[2].split(',')) {
      const [name, as] = part.trim().split(/\s+as\s+/);
      if ((as ?? name) !== head) continue;
      const candidates = rest.length ? [`${m[1]}.${name}`, m[1]] : [m[1], `${m[1]}.${name}`];
      for (const mod of candidates) { const f = pyModuleFile(ws, host, mod); if (f) return f; }
    }
  }
  for (const m of text.matchAll(/^[ \t]*import\s+([\w.]+)(?:\s+as\s+(\w+))?\s*$/gm)) {
    if ((m[2] ?? m[1]) === ref.split('.').slice(0, (m[2] ? 1 : m[1].split('.').length)).join('.')) return pyModuleFile(ws, host, m[1]);
  }
  return undefined;
}

function pyModuleFile(ws: WorkspaceIndex, host: string, mod: string): string | undefined {
  const dots = /^\.*/.exec(mod)![0].length;
  const parts = mod.slice(dots).split('.').filter(Boolean);
  const tail = parts.join('/');
  const files = ws.files('py').map((f) => f.replace(/\\/g, '/'));
  if (dots) {
    let base = path.dirname(host);
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    const want = path.join(base, ...parts).replace(/\\/g, '/');
    return files.find((f) => f === want + '.py' || f === want + '/__init__.py') ?? want + '.py';
  }
  // An absolute module is found among the workspace's files, else next to the host (an app run from its folder).
  return files.find((f) => f.endsWith('/' + tail + '.py') || f.endsWith('/' + tail + '/__init__.py')) ?? path.join(path.dirname(host), ...parts) + '.py';
}


/**
 * True when the route is registered on a router (`express.Router()`, `APIRouter()`, a Flask
 * `Blueprint`) that neither this file nor any other file of the workspace is seen to mount: the
 * middleware the app puts in front of it (auth, limiters) is then unknown, so rules that judge
 * a route by what runs before it stay silent.
 */
export function routerMountUnknown(model: CodeModel, owner: string | undefined): boolean {
  if (!owner || !/^[\w$]+$/.test(owner)) return false;
  const value = model.bindings(model.root).get(owner)?.value;
  const v = value && ir.unwrap(value);
  if (v?.type !== 'Call' || !/(?:^|\.)(?:Router|APIRouter|Blueprint)$/.test(ir.dottedName(v.callee) ?? '')) return false;
  return !mountedHere(model).has(owner) && mountsOf(model).length === 0;
}

/** Names this file passes to `use`/`include_router`/`register_blueprint`/`route`, once per file (every route asks). */
function mountedHere(model: CodeModel): Set<string> {
  return model.cached('workspace.mountedHere', () => {
    const names = new Set<string>();
    for (const c of model.calls) {
      if (c.callee.type !== 'Member' || !/^(use|include_router|register_blueprint|route)$/.test(c.callee.prop)) continue;
      for (const a of c.args) {
        const name = ir.dottedName(a);
        if (name) names.add(name);
      }
    }
    return names;
  });
}
