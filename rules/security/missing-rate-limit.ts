import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format, type FixContext, type Finding, type FixResult, type TextEdit } from '../kit/rule';
import { routes, useCalls, type Route } from '../kit/frameworks/routes';
import { mountsOf, routerMountUnknown } from '../kit/workspace/mounts';
import { appLevelLimiter, handlerLimits, isLimiterText, moduleLimits } from '../kit/workspace/rate-limits';
import { constantString } from '../kit/model/values';
import { withoutComments } from '../kit/model/comments';
import { addJsImport, lastImport } from '../kit/fixes/js-imports';
import { indentAt } from '../kit/model/literals';
import { quoteOf, usesSemicolons } from '../kit/fixes/style';

const messages = {
  route: '{method} {path} accepts credential or code guesses with no rate limit: an attacker can try thousands per second',
};

/** Routes that take a password, a one-time code or a reset token: the targets of guessing. */
const ATTEMPT_PATH = /(?:^|[/_-])(?:log-?in|sign-?in|sign-?up|register|forgot(?:-?password)?|reset(?:-?password)?|password[/_-]reset|otp|verify(?:-?(?:otp|code|email|phone|2fa|mfa))?|2fa|mfa|two-?factor|magic-?link|passwordless|send-?code|resend-?code)(?=$|[/_.-])/i;
const ATTEMPT_NAME = /login|log_in|signin|sign_in|signup|sign_up|register|forgot|reset_password|password_reset|otp|verify|two_factor|mfa/i;

export default defineRule({
  id: 'missing-rate-limit',
  category: 'security',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 307,
  securitySeverity: 5.3,
  triggers: /log-?in|sign|regist|forgot|reset|otp|verif|2fa|mfa|two.?factor|magic|passwordless|code/i,
  docs: {
    summary: 'A login, signup, password-reset, OTP or verification route with no rate limiter at route or app level',
    why: 'A login route without a limiter lets a script try thousands of passwords per second, and a six-digit OTP or reset code falls to a million requests. Generated auth routes rarely come with a limiter. Routes behind an app-level limiter (`app.use(limiter)`, `@fastify/rate-limit`, flask-limiter or slowapi `default_limits`, a global NestJS `ThrottlerGuard`; in this file or another file of the workspace), handlers that count attempts themselves, and pages that only list (`GET /account/login-history`) are not reported. A NestJS `@Throttle` counts only with `ThrottlerGuard` applied.',
    fix: 'Add rate limiter: Express routes get `rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 })` from `express-rate-limit` before the handler (with its import; a limiter already created in the module is reused), Flask routes `@limiter.limit("10 per 15 minutes")` and FastAPI routes `@limiter.limit("10/15minutes")` under the route decorator when the module has a flask-limiter/slowapi `Limiter`. The fix title says when `express-rate-limit` is missing from package.json. Unsafe: the eleventh attempt within 15 minutes from one address gets 429; behind a proxy, set `app.set(\'trust proxy\', 1)` so clients are told apart. Fastify, NestJS, Django and modules without a limiter instance get no fix, and say why.',
    examples: {
      js: {
        bad: "const express = require('express');\nconst app = express();\n\napp.post('/login', async (req, res) => {\n  const user = await checkPassword(req.body.email, req.body.password);\n  res.json({ ok: !!user });\n});\n",
        good: "const express = require('express');\nconst { rateLimit } = require('express-rate-limit');\nconst app = express();\n\napp.post('/login', rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 }), async (req, res) => {\n  const user = await checkPassword(req.body.email, req.body.password);\n  res.json({ ok: !!user });\n});\n",
      },
      py: {
        bad: "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post(\"/login\")\ndef login():\n    return check_password(request.form[\"email\"], request.form[\"password\"])\n",
        good: "from flask import Flask, request\nfrom flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n\napp = Flask(__name__)\nlimiter = Limiter(get_remote_address, app=app)\n\n\n@app.post(\"/login\")\n@limiter.limit(\"10 per 15 minutes\")\ndef login():\n    return check_password(request.form[\"email\"], request.form[\"password\"])\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      'Program:exit'() {
        const rs = routes(model);
        if (!rs.length) return;
        const seen = new Set<number>();
        for (const r of rs) {
          if (!isAttemptRoute(model, r) || routerMountUnknown(model, r.owner) || isLimited(model, r)) continue;
          const at = r.node.type === 'Call' ? r.node : routeDecorator(model, r) ?? r.node;
          if (seen.has(at.start)) continue;
          seen.add(at.start);
          const plan = planLimiterFix(model, r);
          report({
            start: at.start,
            end: r.node.type === 'Call' ? (r.node.args[0] ?? r.node).end : lineEnd(model.text, at.start),
            message: format(messages.route, { method: r.method, path: r.path ?? r.handler?.name ?? 'route' }),
            data: 'edits' in plan ? { edits: plan.edits } : undefined,
            noFix: 'reason' in plan ? plan.reason : undefined,
          });
        }
      },
    };
  },
  fix: { title: 'Add rate limiter', safety: 'unsafe', produce: produceLimiterFix },
});

function isAttemptRoute(model: CodeModel, r: Route): boolean {
  if (/^(GET|HEAD|OPTIONS)$/.test(r.method)) return false;
  // Guards and middleware (passport's local strategy, Nest's AuthGuard) read the credentials before the handler.
  if (r.handler && r.framework !== 'nest' && !r.middleware.length && !readsRequest(model, r.handler)) return false;
  if (r.framework === 'django' || r.path === undefined) {
    const fn = r.handler;
    return !!fn && ATTEMPT_NAME.test(fn.name ?? '') && !/webauthn|passkey/i.test(fn.name ?? '') && /POST/.test(model.text.slice(fn.start, fn.end));
  }
  // `/events/:slug/register`, `/prompts/<id>/reset`: an action on a resource, not an account's credentials.
  const m = ATTEMPT_PATH.exec(r.path);
  if (!m || /[:{<[]/.test(r.path.slice(0, m.index))) return false;
  return isServerRoute(model, r);
}

/** A handler that never reads its request takes no password or code to guess (`POST /2fa` that only generates a secret). */
function readsRequest(model: CodeModel, fn: ir.Func): boolean {
  const ps = model.lang === 'py' && /^(self|cls)$/.test(fn.params[0]?.name ?? '') ? fn.params.slice(1) : fn.params;
  const req = ps[0]?.name;
  // Framework-injected bodies (FastAPI models, Nest @Body()) arrive as other parameters.
  if (!req || (model.lang === 'py' && ps.length > 1)) return true;
  return model.identsNamedIn(req, fn.body).length > 0;
}

/** A route of a server: its handler is here, or it is registered on an app or router this module creates or imports from a server framework (an API client's `api.post('/login', body)` is not). */
function isServerRoute(model: CodeModel, r: Route): boolean {
  if (r.handler || r.framework !== 'express') return true;
  return model.usesModule((m) => /^(express|koa|@koa\/router|koa-router|fastify|hono|restify|polka|router)$/.test(m));
}

/** A function the handler calls in another module of the app limits attempts there (a login form class checking a token bucket). */
function limitedElsewhere(model: CodeModel, fn: ir.Func): boolean {
  if (!model.loader) return false;
  for (const imp of model.imports) {
    for (const n of imp.names) {
      if (!model.identsNamedIn(n.local, fn).length) continue;
      const mod = model.loader.load(model.file, n.imported === '*' || !/^[a-z_]/.test(n.imported) ? imp.module : `${imp.module}.${n.imported}`, model.lang) ?? model.loader.load(model.file, imp.module, model.lang);
      if (mod && moduleLimits(withoutComments(model.lang, mod.text))) return true;
    }
  }
  return false;
}

function isLimited(model: CodeModel, r: Route): boolean {
  const src = (n: ir.Node) => model.text.slice(n.start, n.end);
  if (r.framework === 'nest') return r.middleware.some((m) => /ThrottlerGuard/.test(src(m))) || !!appLevelLimiter(model);
  if (r.middleware.some((m) => isLimiterText(src(m)))) return true;
  if (r.node.type === 'Call' && r.node.args.some((a) => ir.unwrap(a).type === 'ObjectLit' && /rateLimit|rate_limit|throttle/i.test(src(a)))) return true;
  if (r.handler && handlerLimits(withoutComments(model.lang, model.text.slice(r.handler.start, r.handler.end)))) return true;
  if (r.handler && limitedElsewhere(model, r.handler)) return true;
  if (appLevelLimiter(model)) return true;
  for (const m of mountsOf(model)) if ([...m.middleware, ...m.before].some(isLimiterText)) return true;
  for (const u of useCalls(model)) {
    const prefix = u.args[0] && constantString(model, u.args[0]);
    const mountsRouter = u.args.some((a) => ir.dottedName(a) === r.owner);
    if (prefix !== undefined && !mountsRouter && !(r.path ?? '').startsWith(prefix)) continue;
    if (u.args.some((a) => isLimiterText(src(a)))) return true;
  }
  return false;
}

type Plan = { edits: TextEdit[] } | { reason: string };

function planLimiterFix(model: CodeModel, r: Route): Plan {
  if (model.lang === 'js') {
    if (r.framework !== 'express' || r.node.type !== 'Call') return { reason: r.framework === 'nest' ? 'NestJS limits with ThrottlerModule and ThrottlerGuard: register them for this controller' : r.framework === 'next' ? 'a Next.js route handler limits in its body or in middleware (a shared store such as Redis)' : `${r.framework} routes take a limiter through their own plugin` };
    // First in the chain: the limiter must count an attempt before any middleware checks the password.
    const handler = r.middleware[0] ?? r.node.args[r.node.args.length - 1];
    const edits: TextEdit[] = [];
    const existing = limiterInstance(model, /^(rateLimit|RateLimit|slowDown|expressRateLimit)$/);
    let text = existing;
    if (!text) {
      // One limiter for the module's attempt routes, declared under the imports: routes fixed later reuse it.
      const fn = addJsImport(model, edits, 'express-rate-limit', 'rateLimit');
      text = model.bindings(model.root).has('authLimiter') ? 'authRateLimiter' : 'authLimiter';
      const semi = usesSemicolons(model) ? ';' : '';
      const decl = `const ${text} = ${fn}({ windowMs: 15 * 60 * 1000, limit: 10 })${semi}`;
      const imp = edits.find((e) => e.newText.includes('express-rate-limit'));
      if (imp) imp.newText += `\n\n${decl}`;
      else {
        const at = afterImports(model);
        edits.push({ start: at, end: at, newText: at ? `\n\n${decl}` : `${decl}\n\n` });
      }
    }
    edits.push({ start: handler.start, end: handler.start, newText: `${text}, ` });
    return { edits };
  }
  const limiter = limiterInstance(model, /^Limiter$/);
  if (!limiter) return { reason: 'this module has no flask-limiter or slowapi Limiter to limit the route with' };
  const deco = routeDecorator(model, r);
  if (!deco || !r.handler) return { reason: 'the route is not registered with a decorator' };
  const fastapi = r.framework === 'fastapi';
  if (fastapi && !r.handler.params.some((p) => p.name === 'request')) return { reason: 'slowapi needs the handler to take `request: Request`' };
  const q = quoteOf(model);
  const at = model.text.indexOf('\n', deco.end) + 1;
  const rate = fastapi ? '10/15minutes' : '10 per 15 minutes';
  return { edits: [{ start: at, end: at, newText: `${indentAt(model.text, deco.start)}@${limiter}.limit(${q}${rate}${q})\n` }] };
}

/** A module-level limiter the file already creates (`const authLimiter = rateLimit({...})`, `limiter = Limiter(...)`). */
function limiterInstance(model: CodeModel, ctor: RegExp): string | undefined {
  for (const [name, b] of model.bindings(model.root)) {
    const v = b.value && ir.unwrap(b.value);
    if (v?.type === 'Call' && ctor.test(ir.calleeName(v) ?? '')) return name;
  }
  return undefined;
}

function routeDecorator(model: CodeModel, r: Route): ir.Node | undefined {
  return r.handler?.decorators.find((d) => /\.(route|get|post|put|patch|delete|api_route)\s*\(|^(Post|Put|Patch|All)\b/.test(model.text.slice(d.start, d.end)));
}

/** End of the line of the module's last import or require (0 when it has none). */
function afterImports(model: CodeModel): number {
  const last = lastImport(model);
  if (!last) return 0;
  const nl = model.text.indexOf('\n', last.end);
  return nl === -1 ? model.text.length : nl;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

/** The planned edits; the title says when express-rate-limit still has to be installed. */
function produceLimiterFix(f: Finding, ctx: FixContext): FixResult | undefined {
  const edits = f.data?.edits as TextEdit[] | undefined;
  if (!edits?.length) return undefined;
  if (!edits.some((e) => e.newText.includes('express-rate-limit'))) return { edits };
  for (let dir = path.dirname(ctx.file), i = 0; i < 12; i++) {
    const pkg = ctx.readFile(path.join(dir, 'package.json'));
    if (pkg !== undefined) {
      return /"express-rate-limit"\s*:/.test(pkg) ? { edits } : { edits, title: 'Add rate limiter (add express-rate-limit to package.json)' };
    }
    if (ctx.workspaceRoot && path.resolve(dir) === path.resolve(ctx.workspaceRoot)) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { edits, title: 'Add rate limiter (express-rate-limit must be installed)' };
}
