// Code that runs in a browser rather than on a server: a hung request there stalls one user's page,
// which the user can reload, not a worker shared by every request. Rules about server resources
// (timeouts, pools) leave it alone. Recognised by the framework markers a bundle carries: the
// `'use client'` directive, UI framework imports, browser globals, and front-end folders.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';

const UI_MODULES = /^(react|react-dom|react-dom\/client|react-native|vue|svelte|@angular\/core|solid-js|preact|next\/navigation|next\/router|next\/link|@tanstack\/react-query|swr|@remix-run\/react|expo\b.*)$/;
/** Folders of front-end bundles (`client/`, `frontend/`, `src/components/`, Next.js `pages/` outside `pages/api`). */
const FRONTEND_DIRS = /(^|\/)(client|frontend|front-end|web-app|webapp|public|static|www|components|hooks|composables|ui|views|popup|extension)\//i;
const BROWSER_GLOBALS = /\b(window|document|localStorage|sessionStorage|navigator)\.\w/;

/** True when the file is browser code (cached per file). Python files never are. */
export function isBrowserCode(model: CodeModel): boolean {
  if (model.lang === 'py') return false;
  return model.cached('browserCode', () => {
    const first = model.root.body[0];
    const directive = first?.type === 'ExprStmt' && first.expr.type === 'Str' ? first.expr.value : undefined;
    if (directive === 'use client') return true;
    if (directive === 'use server') return false;
    const file = model.file.replace(/\\/g, '/');
    // Next.js API routes, route handlers and server folders are server code whatever they import.
    if (/(^|\/)(pages\/api|app\/.*\/route\.[cm]?[jt]s$|server|api|backend|functions|lambda|worker|workers|jobs|scripts)\//.test(file) || /(^|\/)route\.[cm]?[jt]s$/.test(file)) return false;
    if (model.usesModule((m) => UI_MODULES.test(m))) return !/(^|\/)app\/(.*\/)?(page|layout)\.[jt]sx?$/.test(file) || BROWSER_GLOBALS.test(model.text);
    if (FRONTEND_DIRS.test(file) && !/(^|\/)(src\/)?(server|api)\//.test(file)) return true;
    // The imports first: a server file answers without a scan of its whole text.
    return !model.usesModule((m) => /^(node:)?(http|https|fs|path|child_process|express|fastify|koa|@nestjs\/\w+|hono)$/.test(m)) && BROWSER_GLOBALS.test(model.text);
  });
}

/** A URL relative to the page (`/api/items`, `` `/users/${id}` ``): only a browser can fetch it. */
export function isPageRelativeUrl(n: ir.Node | undefined): boolean {
  const u = n && ir.unwrap(n);
  if (!u) return false;
  if (u.type === 'Str') return /^\/(?!\/)|^\.\.?\//.test(u.value);
  if (u.type === 'Template' && !u.tag) return /^\/(?!\/)|^\.\.?\//.test(u.quasis[0]);
  return false;
}
