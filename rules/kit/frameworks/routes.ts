// The route model: HTTP handlers registered in the file, with their method, path and
// middleware chain, across Express/Koa/Fastify, Next.js route files, NestJS controllers,
// Flask/FastAPI decorators and Django views.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { constantString, resolveValue } from '../model/values';

export type Framework = 'express' | 'fastify' | 'koa' | 'next' | 'nest' | 'flask' | 'fastapi' | 'django' | 'unknown';

export interface Route {
  framework: Framework;
  /** Upper-case HTTP method, or 'ALL'. */
  method: string;
  /** The path as written, when known. */
  path?: string;
  /** The handler function, when it is in this file. */
  handler?: ir.Func;
  /** Middleware/guards given at registration (arguments between path and handler, decorators, preHandler). */
  middleware: ir.Node[];
  /** The registering call (Express-style), decorator owner, or the handler itself. */
  node: ir.Node;
  /** Receiver the route was registered on (`app`, `router`), for router-level middleware. */
  owner?: string;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head']);
const HANDLER_WRAPPERS = /^(asyncHandler|catchAsync|wrapAsync|asyncWrap|withErrorHandling|handler|wrap|tryCatch|withAuth)$/;

export function routes(model: CodeModel): Route[] {
  return model.cached('routes', () => (model.lang === 'js' ? jsRoutes(model) : pyRoutes(model)));
}

/** The route whose handler is this function, if any. */
export function routeOf(model: CodeModel, fn: ir.Func): Route | undefined {
  return routes(model).find((r) => r.handler === fn);
}

/**
 * True when a function runs per request: a registered route handler, or a function shaped like
 * one (first parameter named req/request/ctx, or typed Request), which catches handlers exported
 * from controller files and registered elsewhere.
 */
export function isHandler(model: CodeModel, fn: ir.Func): boolean {
  if (routeOf(model, fn)) return true;
  return isHandlerShaped(model, fn);
}

export function isHandlerShaped(model: CodeModel, fn: ir.Func): boolean {
  const ps = fn.params;
  if (!ps.length) return false;
  const first = model.lang === 'py' && (ps[0].name === 'self' || ps[0].name === 'cls') ? ps[1] : ps[0];
  if (!first) return false;
  if (first.typeText && /\b(Next)?Request\b|FastifyRequest|HttpRequest|Context\b/.test(first.typeText)) return true;
  const n = first.name ?? '';
  if (model.lang === 'py') return n === 'request' || n === 'req';
  if (/^(req|request|ctx)$/.test(n)) return true;
  const second = ps[1]?.name ?? '';
  return /^(res|reply|response)$/.test(second) && /^_?(r|rq|request|req)\w*$/i.test(n);
}

/** Resolves a handler argument to its function: inline, a local function, or wrapped in asyncHandler(...). */
export function handlerFunction(model: CodeModel, n: ir.Node, depth = 0): ir.Func | undefined {
  if (depth > 4) return undefined;
  const u = ir.unwrap(n);
  if (u.type === 'Func') return u;
  if (u.type === 'Ident') {
    const v = resolveValue(model, u);
    return v && v.type === 'Func' ? v : undefined;
  }
  if (u.type === 'Call') {
    const name = ir.dottedName(u.callee) ?? '';
    const last = u.args[u.args.length - 1];
    if (last && (HANDLER_WRAPPERS.test(name.split('.').pop() ?? '') || ir.unwrap(last).type === 'Func')) return handlerFunction(model, last, depth + 1);
  }
  return undefined;
}

function jsRoutes(model: CodeModel): Route[] {
  const out: Route[] = [];
  for (const c of model.calls) {
    const callee = c.callee;
    if (callee.type !== 'Member') continue;
    const method = callee.prop.toLowerCase();
    if (HTTP_METHODS.has(method) && c.args.length >= 2) {
      // app.get('/x', mw, handler) or router.route('/x').post(handler)
      let path: string | undefined;
      let rest = c.args;
      const first = c.args[0];
      const p = constantString(model, first);
      if (p !== undefined) { path = p; rest = c.args.slice(1); }
      else if (first.type === 'Template' || first.type === 'Ident') { rest = c.args.slice(1); }
      else if (callee.object.type !== 'Call') continue;
      if (path === undefined && callee.object.type === 'Call' && ir.calleeName(callee.object) === 'route') {
        path = constantString(model, callee.object.args[0] ?? first);
        rest = c.args;
      }
      if (path === undefined || !(path.startsWith('/') || path === '*')) continue;
      const last = rest[rest.length - 1];
      const handler = last ? handlerFunction(model, last) : undefined;
      if (!handler && !(last && ir.unwrap(last).type === 'Ident')) continue;
      const owner = ir.dottedName(callee.object.type === 'Call' ? (ir.receiver(callee.object) ?? callee.object) : callee.object);
      out.push({ framework: guessJsFramework(model, handler), method: method === 'del' ? 'DELETE' : method.toUpperCase(), path, handler, middleware: rest.slice(0, -1), node: c, owner });
    } else if (method === 'route' && c.args.length === 1) {
      // fastify.route({ method, url, handler, preHandler })
      const o = ir.unwrap(c.args[0]);
      if (o.type !== 'ObjectLit') continue;
      const h = ir.propOf(o, 'handler');
      const url = ir.propOf(o, 'url') ?? ir.propOf(o, 'path');
      const m = ir.propOf(o, 'method');
      if (!h || !url) continue;
      const mw = ['preHandler', 'onRequest', 'preValidation'].map((k) => ir.propOf(o, k)?.value).filter((x): x is ir.Node => !!x);
      out.push({ framework: 'fastify', method: (m && constantString(model, m.value)?.toUpperCase()) ?? 'ALL', path: constantString(model, url.value), handler: handlerFunction(model, h.value), middleware: mw, node: c, owner: ir.dottedName(callee.object) });
    }
  }
  // Fastify: options object between path and handler carries preHandler/onRequest hooks.
  for (const r of out) {
    const expanded: ir.Node[] = [];
    for (const m of r.middleware) {
      const u = ir.unwrap(m);
      if (u.type === 'ObjectLit') {
        for (const k of ['preHandler', 'onRequest', 'preValidation']) { const p = ir.propOf(u, k); if (p) expanded.push(p.value); }
        if (r.framework === 'express') r.framework = 'fastify';
      } else expanded.push(m);
    }
    r.middleware = expanded;
  }
  out.push(...nextRoutes(model), ...nestRoutes(model));
  return out;
}

function guessJsFramework(model: CodeModel, handler?: ir.Func): Framework {
  // What the file imports decides for every route of it: asked once per file, not per route.
  const byImports = model.cached('jsFrameworkByImports', (): Framework | undefined =>
    model.usesModule((m) => m === 'fastify') ? 'fastify' : model.usesModule((m) => m === 'koa' || m.startsWith('@koa/') || m === 'koa-router') ? 'koa' : undefined);
  if (byImports) return byImports;
  if (handler && handler.params[0]?.name === 'ctx') return 'koa';
  return 'express';
}

/** Next.js: app/**\/route.ts exports GET/POST...; pages/api/** default-exports a handler. */
function nextRoutes(model: CodeModel): Route[] {
  const file = model.file.replace(/\\/g, '/');
  const out: Route[] = [];
  const app = /(?:^|\/)app\/(.*?)\/?route\.[cm]?[jt]sx?$/.exec(file);
  if (app) {
    const path = '/' + app[1].replace(/\/$/, '');
    for (const n of model.root.body) {
      const fn = n.type === 'Func' ? n : n.type === 'Assign' && (n as ir.Assign & { exported?: boolean }).exported && n.value?.type === 'Func' ? n.value : undefined;
      const name = n.type === 'Func' ? n.name : n.type === 'Assign' && n.target.type === 'Ident' ? n.target.name : undefined;
      const exported = n.type === 'Func' ? n.exported : (n as ir.Assign & { exported?: boolean }).exported;
      if (fn && exported && name && /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(name)) {
        out.push({ framework: 'next', method: name, path, handler: fn, middleware: [], node: fn });
      }
    }
  }
  const pages = /(?:^|\/)pages\/(api\/.*?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(file);
  if (pages) {
    for (const n of model.root.body) {
      if (n.type === 'Other' && n.kind === 'exportDefault') {
        const fn = handlerFunction(model, n.children[0]);
        if (fn) out.push({ framework: 'next', method: 'ALL', path: '/' + pages[1], handler: fn, middleware: [], node: fn });
      } else if (n.type === 'Func' && n.exported && n.name === 'handler') {
        out.push({ framework: 'next', method: 'ALL', path: '/' + pages[1], handler: n, middleware: [], node: n });
      }
    }
  }
  return out;
}

function decoratorCall(d: ir.Node): { name: string; args: ir.Node[]; call?: ir.Call } {
  const u = ir.unwrap(d);
  if (u.type === 'Call') return { name: ir.dottedName(u.callee) ?? '', args: u.args, call: u };
  return { name: ir.dottedName(u) ?? '', args: [] };
}

function nestRoutes(model: CodeModel): Route[] {
  const out: Route[] = [];
  for (const n of model.nodesOfType('Class')) {
    const ctrl = n.decorators.map(decoratorCall).find((d) => d.name === 'Controller');
    if (!ctrl) continue;
    const prefix = ctrl.args[0] ? constantString(model, ctrl.args[0]) ?? '' : '';
    const classGuards = n.decorators.filter((d) => /^(UseGuards|UseInterceptors|Roles|Public)$/.test(decoratorCall(d).name));
    for (const m of n.body) {
      if (m.type !== 'Func') continue;
      for (const d of m.decorators) {
        const dc = decoratorCall(d);
        if (!/^(Get|Post|Put|Patch|Delete|All|Head|Options)$/.test(dc.name)) continue;
        const sub = dc.args[0] ? constantString(model, dc.args[0]) ?? '' : '';
        const path = ('/' + [prefix, sub].filter(Boolean).join('/')).replace(/\/+/g, '/');
        const guards = m.decorators.filter((x) => x !== d);
        out.push({ framework: 'nest', method: dc.name.toUpperCase(), path, handler: m, middleware: [...classGuards, ...guards], node: m });
      }
    }
  }
  return out;
}

function pyRoutes(model: CodeModel): Route[] {
  const out: Route[] = [];
  const fastapi = model.usesModule((m) => m === 'fastapi' || m.startsWith('fastapi.'));
  const django = model.usesModule((m) => m.startsWith('django'));
  for (const fn of model.functions) {
    let registered = false;
    for (const d of fn.decorators) {
      const dc = decoratorCall(d);
      const parts = dc.name.split('.');
      const last = parts[parts.length - 1];
      if (parts.length < 2) continue;
      if (last === 'route' || last === 'api_route' || HTTP_METHODS.has(last)) {
        const path = dc.args[0] ? constantString(model, dc.args[0]) : undefined;
        if (path === undefined || !path.startsWith('/')) continue;
        let methods = [last === 'route' || last === 'api_route' ? 'GET' : last.toUpperCase()];
        if (dc.call) {
          const m = ir.keywordArg(dc.call, 'methods');
          const arr = m ? resolveValue(model, m) : undefined;
          if (arr?.type === 'ArrayLit') methods = arr.elements.map((e) => constantString(model, e)?.toUpperCase() ?? 'ALL');
        }
        const owner = parts.slice(0, -1).join('.');
        for (const method of methods) {
          out.push({ framework: fastapi ? 'fastapi' : 'flask', method, path, handler: fn, middleware: fn.decorators.filter((x) => x !== d), node: fn, owner });
        }
        registered = true;
      }
    }
    if (!registered && django && fn.kind === 'decl' && isHandlerShaped(model, fn)) {
      const cls = fn.parent?.type === 'Class' ? fn.parent : undefined;
      const method = cls && /^(get|post|put|patch|delete)$/.test(fn.name ?? '') ? fn.name!.toUpperCase() : 'ALL';
      out.push({ framework: 'django', method, handler: fn, middleware: fn.decorators, node: fn });
    }
  }
  return out;
}

/** Every `x.use(...)` call of the file, in source order (cached). */
export function useCalls(model: CodeModel): ir.Call[] {
  return model.cached('useCalls', () => model.calls.filter((c) => c.callee.type === 'Member' && c.callee.prop === 'use'));
}
