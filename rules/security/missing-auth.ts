import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { routes, useCalls, type Route } from '../kit/frameworks/routes';
import { handlerChecksAuth, isAuthGuardText } from '../kit/frameworks/auth';
import { mountsOf, routerMountUnknown } from '../kit/workspace/mounts';
import { globalGuard, guardsInUse } from '../kit/workspace/auth-usage';
import { constantString } from '../kit/model/values';
import { withoutComments } from '../kit/model/comments';
import { planAuthFix, produceAuthFix } from './missing-auth.fix';

const messages = {
  route: '{method} {path} is served without authentication, while this codebase guards routes with {guard}',
};

/** Paths whose routes move money, administer the app or expose internals. */
const SENSITIVE = /(?:^|\/)(?:admin|internal|billing|payments?|refunds?|payouts?|withdraw(?:als?)?|transfers?|charges?)(?=$|[/._-])/i;
/** Routes that are public by design, even under a sensitive prefix. */
const PUBLIC = /webhooks?|callback|health|ping|status$|login|signin|sign-in|signup|sign-up|register|logout|public|\.well-known|stripe\/events|plans|pricing|prices/i;
/** Resources that belong to a user: deleting them needs to know who asks. */
const USER_RESOURCE = /(?:^|\/)(?:users?|accounts?|profiles?|members?|customers?|organi[sz]ations?|orgs?|teams?)(?:\/|$)/i;
const DJANGO_SENSITIVE = /admin|internal|billing|payment|refund|payout|withdraw|transfer/i;

export default defineRule({
  id: 'missing-auth',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 306,
  securitySeverity: 8.2,
  docs: {
    summary: 'A sensitive route (admin, internal, billing, payments, refunds, deleting a user resource) is registered without the auth middleware the rest of the codebase uses',
    why: 'An assistant that adds a route copies the handler, not the guard: "AI auth middleware silently allowed unauthenticated requests to a payment endpoint". When the codebase authenticates its other routes (`requireAuth`, `passport.authenticate`, `@login_required`, `Depends(get_current_user)`, a NestJS guard, `getServerSession`), a refund, payout or admin route without it is open to anyone who finds the URL. Routes behind a router- or app-level guard (also one installed in another file that mounts the router), handlers that check the session themselves, and public routes (login, health, webhooks) are not reported.',
    fix: 'Add auth middleware: the guard this codebase already uses goes into the route: Express/Fastify-style middleware before the handler (with its import, resolved from the module that defines it), Flask and Django `@login_required` (or the decorator the codebase uses) under the route decorator, FastAPI `dependencies=[Depends(get_current_user)]` on the route decorator. Unsafe: callers without a session now get 401/403, which is the point; a client that called the route anonymously must now send credentials. NestJS, Next.js and routes whose guard cannot be imported get no fix, and say why.',
    examples: {
      js: {
        bad: "const express = require('express');\nconst { requireAuth } = require('./auth');\nconst app = express();\n\napp.get('/orders', requireAuth, listOrders);\napp.post('/admin/refunds', async (req, res) => {\n  await refund(req.body.orderId);\n  res.json({ ok: true });\n});\n",
        good: "const express = require('express');\nconst { requireAuth } = require('./auth');\nconst app = express();\n\napp.get('/orders', requireAuth, listOrders);\napp.post('/admin/refunds', requireAuth, async (req, res) => {\n  await refund(req.body.orderId);\n  res.json({ ok: true });\n});\n",
      },
      py: {
        bad: "from flask import Flask\nfrom flask_login import login_required\n\napp = Flask(__name__)\n\n\n@app.get(\"/orders\")\n@login_required\ndef orders():\n    return list_orders()\n\n\n@app.post(\"/admin/refunds\")\ndef refunds():\n    return refund_all()\n",
        good: "from flask import Flask\nfrom flask_login import login_required\n\napp = Flask(__name__)\n\n\n@app.get(\"/orders\")\n@login_required\ndef orders():\n    return list_orders()\n\n\n@app.post(\"/admin/refunds\")\n@login_required\ndef refunds():\n    return refund_all()\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      'Program:exit'() {
        const rs = routes(model);
        if (!rs.length) return;
        let guards: ReturnType<typeof guardsInUse> | undefined;
        for (const r of rs) {
          const paths = fullPaths(model, r);
          if (!paths.some((p) => isSensitive(model, r, p))) continue;
          if (routerMountUnknown(model, r.owner) || isGuarded(model, r)) continue;
          guards ??= guardsInUse(model);
          if (!guards.length) return;
          const plan = planAuthFix(model, r, guards);
          const shown = paths[paths.length - 1] ?? r.handler?.name ?? 'route';
          report({
            start: reportStart(model, r),
            end: reportEnd(model, r),
            message: format(messages.route, { method: r.method, path: shown, guard: guards[0].text.replace(/\s+/g, ' ').slice(0, 60) }),
            data: 'edits' in plan ? { edits: plan.edits } : undefined,
            noFix: 'reason' in plan ? plan.reason : undefined,
          });
        }
      },
    };
  },
  fix: { title: 'Add auth middleware', safety: 'unsafe', produce: produceAuthFix },
});

/** The route's path as served: with the prefixes of the router it is registered on and of its mounts. */
function fullPaths(model: CodeModel, r: Route): string[] {
  if (r.framework === 'django' || r.path === undefined) return r.handler?.name ? [r.handler.name] : [];
  const local = localPrefix(model, r) + r.path;
  const out = [local];
  for (const m of mountsOf(model)) if (m.prefix) out.push(join(m.prefix, local));
  for (const u of sameFileMounts(model, r)) {
    const p = u.args[0] && constantString(model, u.args[0]);
    if (p) out.push(join(p, local));
  }
  return out;
}

const join = (a: string, b: string) => (a.replace(/\/$/, '') + '/' + b.replace(/^\//, '')).replace(/\/$/, '') || '/';

function isSensitive(model: CodeModel, r: Route, p: string): boolean {
  if (r.framework === 'django') {
    // With the URL conf elsewhere, only a views module tells a view from another request-taking function (a context processor).
    if (!/(?:^|[\\/_])views?(?:\.py$|[\\/])|(?:^|[\\/])api[\\/]/.test(model.file)) return false;
    const cls = r.handler?.parent?.type === 'Class' ? r.handler.parent.name ?? '' : '';
    return DJANGO_SENSITIVE.test(cls + ' ' + (r.handler?.name ?? '')) && !PUBLIC.test(cls + ' ' + (r.handler?.name ?? ''));
  }
  if (PUBLIC.test(r.path ?? '')) return false;
  if (SENSITIVE.test(p)) return true;
  return r.method === 'DELETE' && USER_RESOURCE.test(p);
}

/** The prefix given where the router is created: `APIRouter(prefix="/admin")`, `Blueprint(..., url_prefix="/admin")`. */
function localPrefix(model: CodeModel, r: Route): string {
  const v = routerCall(model, r);
  const kw = v && (ir.keywordArg(v, 'prefix') ?? ir.keywordArg(v, 'url_prefix'));
  return (kw && constantString(model, kw)) ?? '';
}

function routerCall(model: CodeModel, r: Route): ir.Call | undefined {
  if (!r.owner || !/^[\w$]+$/.test(r.owner)) return undefined;
  const value = model.bindings(model.root).get(r.owner)?.value;
  const v = value && ir.unwrap(value);
  return v?.type === 'Call' ? v : undefined;
}

/** `app.use('/admin', auth, adminRouter)` in this file, for the router the route is registered on. */
function sameFileMounts(model: CodeModel, r: Route): ir.Call[] {
  if (!r.owner) return [];
  return useCalls(model).filter((u) => u.args.some((a) => ir.dottedName(a) === r.owner));
}

function isGuarded(model: CodeModel, r: Route): boolean {
  const src = (n: ir.Node) => model.text.slice(n.start, n.end);
  if (r.middleware.some((m) => isAuthGuardText(src(m)))) return true;
  if (r.handler && handlerChecksAuth(model.lang, withoutComments(model.lang, model.text.slice(r.handler.start, r.handler.end)))) return true;
  if (globalGuard(model, r.framework)) return true;
  for (const m of mountsOf(model)) if ([...m.middleware, ...m.before].some(isAuthGuardText)) return true;
  if (model.lang === 'js') {
    const routeAt = r.node.start;
    for (const u of useCalls(model)) {
      const owner = ir.dottedName((u.callee as ir.Member).object);
      const mountsRouter = u.args.some((a) => ir.dottedName(a) === r.owner);
      if (owner === r.owner && u.start > routeAt && !mountsRouter) continue;
      const prefix = u.args[0] && constantString(model, u.args[0]);
      if (prefix !== undefined && owner === r.owner && !(r.path ?? '').startsWith(prefix)) continue;
      if (u.args.some((a) => isAuthGuardText(src(a)))) return true;
    }
    // Fastify hooks and Koa-style `router.use` on the registering instance.
    if (/\.addHook\s*\(\s*['"](?:onRequest|preHandler|preValidation)['"]\s*,[^)]*(?:auth|jwt|verify|session|guard)/i.test(model.text)) return true;
    return false;
  }
  if (r.handler) {
    const sig = model.text.slice(r.handler.start, r.handler.bodyStart);
    if ([...sig.matchAll(/\b(?:Depends|Security)\(\s*([\w.]+)/g)].some((m) => isAuthGuardText(`Depends(${m[1]})`))) return true;
    const cls = r.handler.parent?.type === 'Class' ? r.handler.parent : undefined;
    if (cls && /permission_classes|LoginRequiredMixin|PermissionRequiredMixin|UserPassesTestMixin|login_required|authentication_classes|IsAuthenticated|IsAdminUser/.test(model.text.slice(cls.start, cls.end))) return true;
  }
  const router = routerCall(model, r);
  const deps = router && ir.keywordArg(router, 'dependencies');
  if (deps && isAuthGuardText(`Depends(${src(deps).replace(/^\[|\]$/g, '')})`)) return true;
  const owner = (r.owner ?? '').replace(/\./g, '\\.');
  if (owner && new RegExp(`(?:@${owner}\\.before_request|${owner}\\.before_request\\s*\\(|@${owner}\\.before_app_request)`).test(model.text)) return true;
  return /@app\.before_request/.test(model.text) && /login|auth|user|token|session/i.test(model.text);
}

function reportStart(model: CodeModel, r: Route): number {
  if (r.node.type === 'Call' || r.framework === 'next') return r.node.start;
  const deco = r.handler?.decorators.find((d) => /\.(route|get|post|put|patch|delete|api_route)\b|^(Get|Post|Put|Patch|Delete|All)\b/.test(model.text.slice(d.start, d.end)));
  return deco?.start ?? r.handler?.start ?? r.node.start;
}

function reportEnd(model: CodeModel, r: Route): number {
  if (r.node.type === 'Call') return (r.node.args[0] ?? r.node).end;
  const start = reportStart(model, r);
  const nl = model.text.indexOf('\n', start);
  return nl === -1 ? model.text.length : nl;
}
