// Which guard this codebase puts in front of its routes, and where it comes from: the
// `requireAuth` of middleware/auth.js given to twenty routes, `@login_required` from flask_login,
// `Depends(get_current_user)` from app/deps.py. A rule asks whether the codebase authenticates
// at all ("it uses one elsewhere"), and its fix inserts the same guard, imported from the same place.
import * as path from 'path';
import type { CodeModel } from '../model/model';
import type { WorkspaceIndex } from '../model/workspace';
import { isAuthGuardText } from '../frameworks/auth';
import { bindings, mask, matching, splitArgs } from '../frameworks/router-mounts';

export type GuardKind = 'middleware' | 'decorator' | 'dependency' | 'check';

export interface GuardUse {
  kind: GuardKind;
  /** The name the code refers to it by (`requireAuth`, `passport`, `login_required`, `get_current_user`). */
  name: string;
  /** The source text inserted into a route (`requireAuth`, `passport.authenticate('jwt', { session: false })`). */
  text: string;
  /** The module it is imported from, as written in `file` (`../middleware/auth`, `flask_login`), if imported. */
  module?: string;
  /** The name it is imported by (`default`, `*` for a whole CommonJS module, or the export's name). */
  imported?: string;
  /** The file that uses it (a relative module is resolved from there). */
  file: string;
  /** How many routes use it. */
  count: number;
}

/** The guards of the workspace and of the analysed file, most used first. */
export function guardsInUse(model: CodeModel): GuardUse[] {
  const own = model.lang === 'js' ? jsGuards(model.file, model.text) : pyGuards(model.file, model.text);
  const ws = model.workspace;
  const others = ws ? ws.fact(`guards:${model.lang}`, () => collect(ws, model.lang)) : [];
  const merged = new Map<string, GuardUse>();
  for (const g of [...own, ...others.filter((o) => path.resolve(o.file) !== path.resolve(model.file))]) {
    const key = `${g.kind}\0${g.text}`;
    const hit = merged.get(key);
    if (hit) hit.count += g.count;
    else merged.set(key, { ...g });
  }
  // The guard this file already uses comes first: a fix keeps the file consistent with itself.
  const mine = (g: GuardUse) => (path.resolve(g.file) === path.resolve(model.file) ? 1 : 0);
  return [...merged.values()].sort((a, b) => mine(b) - mine(a) || b.count - a.count);
}

function collect(ws: WorkspaceIndex, lang: 'js' | 'py'): GuardUse[] {
  const out: GuardUse[] = [];
  for (const f of ws.files(lang)) {
    const text = ws.read(f);
    if (text) out.push(...(lang === 'js' ? jsGuards(f, text) : pyGuards(f, text)));
  }
  return out;
}

const JS_REGISTER = /\.\s*(get|post|put|patch|delete|del|all|use|route)\s*\(/g;
const JS_CHECKS = /\b(getServerSession|getSession|auth|currentUser|getAuth|auth\.getUser|requireUser|requireSession)\s*\(/g;

function jsGuards(file: string, text: string): GuardUse[] {
  if (!/auth|login|jwt|guard|protect|session|token|admin|role|permission|clerk/i.test(text)) return [];
  const code = mask(text);
  const binds = bindings(code, text);
  const out = new Map<string, GuardUse>();
  const add = (kind: GuardKind, name: string, src: string) => {
    const key = `${kind}\0${src}`;
    const hit = out.get(key);
    if (hit) { hit.count++; return; }
    const b = binds.find((x) => x.local === name);
    out.set(key, { kind, name, text: src, module: b?.module, imported: b?.imported, file, count: 1 });
  };
  for (const m of code.matchAll(JS_REGISTER)) {
    const open = m.index! + m[0].length - 1;
    const close = matching(code, open);
    if (close === -1) continue;
    const args = splitArgs(code, open + 1, close);
    // Route-level: the arguments between the path and the handler; app-level: every `use` argument.
    const mw = m[1] === 'use' ? args : args.slice(1, -1);
    for (const a of mw) {
      const src = text.slice(a.start, a.end).trim();
      const name = /^([A-Za-z_$][\w$]*)/.exec(src)?.[1];
      if (!name || src.length > 120 || /=>|function\b/.test(src) || !isAuthGuardText(src)) continue;
      add('middleware', name, src);
    }
  }
  for (const m of code.matchAll(/@UseGuards\s*\(([^)]*)\)/g)) add('decorator', 'UseGuards', `@UseGuards(${m[1].trim()})`);
  for (const m of code.matchAll(JS_CHECKS)) add('check', m[1], `${m[1]}()`);
  return [...out.values()];
}

function pyGuards(file: string, text: string): GuardUse[] {
  if (!/login|auth|jwt|user|permission|token|admin/i.test(text)) return [];
  const imports = new Map<string, { module: string; name: string }>();
  for (const m of text.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+\(?([^)\n]*(?:\n[^)\n]*)*?)\)?[ \t]*$/gm)) {
    for (const part of m[2].split(',')) {
      const [name, as] = part.trim().split(/\s+as\s+/);
      if (name) imports.set(as ?? name, { module: m[1], name });
    }
  }
  const out = new Map<string, GuardUse>();
  const add = (kind: GuardKind, name: string, src: string) => {
    const key = `${kind}\0${src}`;
    const hit = out.get(key);
    if (hit) { hit.count++; return; }
    const imp = imports.get(name.split('.')[0]);
    out.set(key, { kind, name, text: src, module: imp?.module, imported: imp?.name, file, count: 1 });
  };
  for (const m of text.matchAll(/^[ \t]*@([\w.]+)(\([^\n]*\))?[ \t]*$/gm)) {
    const src = m[1] + (m[2] ?? '');
    if (/\.(route|get|post|put|patch|delete|api_route)$/.test(m[1]) || !isAuthGuardText(src)) continue;
    add('decorator', m[1], src);
  }
  for (const m of text.matchAll(/\bDepends\(\s*([\w.]+)\s*\)/g)) {
    if (isAuthGuardText(`Depends(${m[1]})`)) add('dependency', m[1], `Depends(${m[1]})`);
  }
  return [...out.values()];
}

/**
 * A guard the workspace applies to every route of a framework: NestJS `useGlobalGuards`/`APP_GUARD`,
 * a Next.js `middleware.ts` that checks the session, Django REST framework's default permission
 * classes or a login-required middleware. Undefined when there is none.
 */
export function globalGuard(model: CodeModel, framework: string): string | undefined {
  const ws = model.workspace;
  const own = globalGuardIn(model.file, model.text, framework);
  if (own || !ws) return own;
  const lang = framework === 'django' || framework === 'flask' || framework === 'fastapi' ? 'py' : 'js';
  return ws.fact(`globalGuard:${framework}`, () => {
    for (const f of ws.files(lang)) {
      const text = ws.read(f);
      const g = text && globalGuardIn(f, text, framework);
      if (g) return g;
    }
    return undefined;
  }) ?? undefined;
}

function globalGuardIn(file: string, text: string, framework: string): string | undefined {
  if (framework === 'nest') return /useGlobalGuards\s*\(|\bAPP_GUARD\b/.test(text) ? 'a global NestJS guard' : undefined;
  if (framework === 'next') {
    if (!/(?:^|[\\/])(?:src[\\/])?middleware\.[jt]s$/.test(file)) return undefined;
    // The middleware itself must turn callers away (a session refresh alone guards nothing).
    return /withAuth|clerkMiddleware|authMiddleware|\bauth\s*\(|getToken\s*\(|redirect\s*\([^)]*(?:login|signin|sign-in)|status:\s*40[13]|\bauth\s+as\s+middleware|export\s*\{\s*auth\s+as\s+middleware/i.test(text) ? 'the Next.js middleware' : undefined;
  }
  if (framework === 'django') {
    if (/DEFAULT_PERMISSION_CLASSES[\s\S]{0,200}?(IsAuthenticated|IsAdminUser|DjangoModelPermissions)/.test(text)) return 'the REST framework default permission classes';
    if (/MIDDLEWARE\s*=[\s\S]{0,2000}?LoginRequiredMiddleware/.test(text)) return 'LoginRequiredMiddleware';
  }
  return undefined;
}
