// Rate limiters: route-level ones (`rateLimit({...})`, `@limiter.limit("5/minute")`, a Nest
// `@Throttle` under `ThrottlerGuard`) and app-level ones installed in this file or anywhere in the
// workspace (`app.use(limiter)`, `fastify.register(rateLimit)`, flask-limiter or slowapi
// `default_limits`, Django REST framework's default throttles, a global `ThrottlerGuard`).
import type { CodeModel } from '../model/model';
import type { WorkspaceIndex } from '../model/workspace';
import { literal, mask, matching, splitArgs } from '../frameworks/router-mounts';

/** A limiter's name or construction, as source text. */
export const LIMITER_TEXT = /rate.?limit|limiter|throttl|slow.?down|brute|ratelimit|too.?many|RateLimiter|speedLimiter/i;

/** True when middleware/decorator source text is a rate limiter. */
export function isLimiterText(src: string): boolean {
  if (/^@?Throttle\b/.test(src.trim())) return false;
  return LIMITER_TEXT.test(src);
}

/** What a handler does itself to limit attempts: consume a limiter, count attempts, answer 429. */
export function handlerLimits(text: string): boolean {
  return /\.consume\s*\(|TokenBucket|token_?bucket|rate.?limit|throttl|ratelimit\s*\.\s*limit|\b429\b|too.?many|limiter\s*\.\s*(?:check|hit|limit|test)|max_?attempts|failed_?attempts|lockout|locked_?until/i.test(text);
}

/**
 * A module the handler calls into limits attempts: it consumes a limiter or token bucket or
 * answers 429. Stricter than a handler's own text: a module that only names a rate-limit audit
 * action or setting limits nothing.
 */
export function moduleLimits(text: string): boolean {
  return /\.consume\s*\(|TokenBucket|token_?bucket|\b429\b|too.?many.?(?:attempts|requests)|limiter\s*\.\s*(?:check|hit|limit|test|consume)\s*\(/i.test(text);
}

/** An app-level limiter in this file or another file of the workspace, described; undefined when none. */
export function appLevelLimiter(model: CodeModel): string | undefined {
  const own = limiterIn(model.lang, model.text);
  if (own || !model.workspace) return own;
  const ws = model.workspace;
  return ws.fact(`appLimiter:${model.lang}`, () => scan(ws, model.lang)) ?? undefined;
}

function scan(ws: WorkspaceIndex, lang: 'js' | 'py'): string | null {
  for (const f of ws.files(lang)) {
    const text = ws.read(f);
    const hit = text && limiterIn(lang, text);
    if (hit) return hit;
  }
  return null;
}

function limiterIn(lang: 'js' | 'py', text: string): string | undefined {
  if (!LIMITER_TEXT.test(text) && !/Throttler/.test(text)) return undefined;
  if (lang === 'py') {
    if (/\bLimiter\s*\([^)]*default_limits\s*=/.test(text) || /RATELIMIT_DEFAULT\s*=/.test(text)) return 'the default limits of the app\'s Limiter';
    if (/DEFAULT_THROTTLE_CLASSES/.test(text)) return 'the REST framework default throttles';
    const mw = /\.add_middleware\(\s*(\w*(?:RateLimit|Ratelimit|Throttl|SlowAPI)\w*)/.exec(text);
    if (mw) return mw[1];
    return undefined;
  }
  // A Fastify autoload plugin file that exports the rate-limit plugin registers it for the whole app.
  if (/from\s+['"]@fastify\/rate-limit['"]/.test(text) && /export\s+default\s+(?:fp\s*\(\s*)?[\w$]*[Rr]ate[Ll]imit/.test(text)) return 'the Fastify rate-limit plugin';
  if (/\bAPP_GUARD\b[\s\S]{0,200}ThrottlerGuard|useGlobalGuards\s*\([^)]*ThrottlerGuard/.test(text)) return 'a global ThrottlerGuard';
  const code = mask(text);
  for (const m of code.matchAll(/[\w$]+\s*\.\s*(use|register)\s*\(/g)) {
    const open = m.index! + m[0].length - 1;
    const close = matching(code, open);
    if (close === -1) continue;
    const args = splitArgs(code, open + 1, close);
    const prefix = literal(text, code, args[0]);
    // A limiter on a path prefix guards only that prefix; `/` and `/api` cover the app's routes.
    if (prefix !== undefined && !/^\/?(?:api\/?)?(?:v\d+\/?)?$/.test(prefix)) continue;
    const srcs = args.map((a) => text.slice(a.start, a.end).trim());
    if (m[1] === 'register') {
      // @fastify/rate-limit applies to every route unless registered with `global: false`.
      if (/rate-?limit|rateLimit/i.test(srcs[0] ?? '') && !/global\s*:\s*false/.test(srcs[1] ?? '')) return 'the Fastify rate-limit plugin';
      continue;
    }
    const s = srcs.find((x) => isLimiterText(x));
    if (s) return s.length > 40 ? s.slice(0, 40) + '...' : s;
  }
  return undefined;
}
