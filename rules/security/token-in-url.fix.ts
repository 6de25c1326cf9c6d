// The "Send token as httpOnly cookie" fix: the token moves from the redirect URL into an
// `HttpOnly; Secure; SameSite=Lax` cookie set on the same response, and the redirect goes to the
// URL without it. Express (and Nest's Express response), Koa, Fastify with @fastify/cookie,
// Next.js (`NextResponse.redirect`, `redirect()` from next/navigation), Flask, FastAPI, Django.
import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixContext, FixResult, TextEdit } from '../kit/rule';
import { urlShape, type UrlParam } from '../kit/frameworks/url-params';
import { removeParamEdits, preferredQuote } from '../kit/fixes/url-edit';
import { tokenNameKind } from '../kit/frameworks/tokens';
import { indentAt, jsString, lineStartOf, pyString, src } from '../kit/model/literals';
import { statementOf } from '../kit/fixes/stmt-edits';
import { jsCookieOptions, pyCookieKeywords } from '../kit/fixes/cookie-flags';

/** Calls that write an unwrapped token into a cookie value (the cookie serializer encodes it). */
const ENCODERS = /^(encodeURIComponent|encodeURI|quote|quote_plus|String|str)$/;
const FASTIFY_COOKIE = /^(@fastify\/cookie|fastify-cookie)$/;

export type CookiePlan = { edits: TextEdit[]; framework: Framework; title?: string } | { reason: string };
type Framework = 'express' | 'koa' | 'fastify' | 'next' | 'next-navigation' | 'python';
interface Cookie { name: string; value: string }

/**
 * The edits for a redirect carrying tokens, or why none can be written. `isToken` tells the URL
 * parameters that carry a token (the rule's judgement).
 */
export function planCookieFix(model: CodeModel, sinkNode: ir.Node, url: ir.Node, isToken: (p: UrlParam) => boolean): CookiePlan {
  if (sinkNode.type !== 'Call') return { reason: 'the browser assigns the URL itself, so no server response can carry a cookie: let the server set the token as an httpOnly cookie' };
  const shape = urlShape(model, url);
  const tokens = shape.params.filter(isToken);
  if (!tokens.length) return { reason: 'the token is not a parameter the fix can take out of the URL' };
  if (tokens.some((p) => !cookieValueMovable(p, sinkNode))) return { reason: 'the token value is not readable where the redirect is made' };
  // A URL built in another function may serve other callers: only rewrite it where it is redirected.
  if (tokens.some((p) => (p.site.kind === 'string' && !sameFunction(p.site.expr, sinkNode)) || (p.site.kind === 'setter' && !sameFunction(p.site.call, sinkNode)))) return { reason: 'the URL is built in another function, which may serve other callers' };
  const clean = removeParamEdits(model, tokens);
  if (!clean) return { reason: 'the URL is built in a shape the fix cannot take the parameter out of exactly' };
  const cookies = tokens.map((p) => ({ name: cookieName(p), value: src(model, unwrapEncoder(p.value)) }));
  if (new Set(cookies.map((c) => c.name)).size !== cookies.length) return { reason: 'two token parameters would need the same cookie name' };
  const set = model.lang === 'py' ? pythonResponseFix(model, sinkNode, cookies) : jsFix(model, sinkNode, cookies);
  return 'reason' in set ? set : { ...set, edits: [...clean, ...set.edits] };
}

/** The fix, checking what the workspace must provide (Fastify's cookie plugin). */
export function produceCookieFix(ctx: FixContext, plan: CookiePlan): FixResult | undefined {
  if ('reason' in plan) return undefined;
  if (plan.framework === 'fastify' && !ctx.model.usesModule((m) => FASTIFY_COOKIE.test(m)) && !dependsOn(ctx, FASTIFY_COOKIE)) return undefined;
  return { edits: plan.edits, title: plan.title };
}

function dependsOn(ctx: FixContext, re: RegExp): boolean {
  if (!ctx.workspaceRoot) return false;
  const pkg = ctx.readFile(path.join(ctx.workspaceRoot, 'package.json'));
  if (!pkg) return false;
  try {
    const j = JSON.parse(pkg) as Record<string, Record<string, string> | undefined>;
    return Object.keys({ ...j.dependencies, ...j.devDependencies }).some((d) => re.test(d));
  } catch {
    return false;
  }
}

function jsFix(model: CodeModel, call: ir.Call, cookies: Cookie[]): CookiePlan {
  const callee = call.callee;
  const q = preferredQuote(model);
  const opts = (extra = '') => jsCookieOptions(q, extra);
  const semi = usesSemicolon(model, call) ? ';' : '';
  // next/navigation's redirect() throws to end the request: the cookie goes on the request's cookie store first.
  if (callee.type === 'Ident' && /^(redirect|permanentRedirect)$/.test(callee.name) && model.moduleOf(callee.name)?.module === 'next/navigation') {
    const fn = ir.enclosingFunction(call);
    const store = fn?.async ? '(await cookies())' : 'cookies()';
    const lines = cookies.map((c) => `${store}.set(${jsString(c.name, q)}, ${c.value}, ${opts()})${semi}`);
    const before = linesBefore(model, call, lines);
    if (!before) return { reason: 'the redirect is not a statement of its own, where the cookie call could go before it' };
    const imp = model.moduleOf('cookies') ? undefined : importAfterLast(model, `import { cookies } from ${jsString('next/headers', q)}${semi}`);
    if (model.moduleOf('cookies') && model.moduleOf('cookies')?.module !== 'next/headers') return { reason: 'cookies is already a name from another module here' };
    return { edits: imp ? [imp, before] : [before], framework: 'next-navigation' };
  }
  if (callee.type !== 'Member' || callee.prop !== 'redirect') {
    // Koa: `ctx.set('Location', url)` with the status set beside it.
    if (callee.type === 'Member' && callee.prop === 'set' && isKoa(model)) return koaFix(model, call, cookies, opts(), semi);
    return { reason: 'the redirect is not made through a response object the fix knows how to set a cookie on' };
  }
  const recv = ir.unwrap(callee.object);
  // NextResponse.redirect(...) returns the response: set the cookie on it before returning it.
  if (recv.type === 'Ident' && recv.name === 'NextResponse') {
    const edits = responseFix(model, call, ['response', 'res', 'redirectResponse'], (name) => cookies.map((c) => `${name}.cookies.set(${jsString(c.name, q)}, ${c.value}, ${opts()})${semi}`), (name) => `const ${name} = `, semi);
    return edits ? { edits, framework: 'next' } : { reason: 'the redirect response is neither returned nor assigned where its cookies could be set' };
  }
  if (isKoa(model) && recv.type === 'Ident') return koaFix(model, call, cookies, opts(), semi);
  // `res.status(302).redirect(url)` (Nest's @Res() and Express chains): the cookie goes on `res`.
  const root = rootIdent(recv);
  if (!root) return { reason: 'the response object is not a plain variable the cookie can be set on' };
  if (isFastify(model) || /^reply$/.test(root.name)) {
    const before = linesBefore(model, call, cookies.map((c) => `${root.name}.setCookie(${jsString(c.name, q)}, ${c.value}, ${opts(`, path: ${jsString('/', q)}`)})${semi}`));
    return before ? { edits: [before], framework: 'fastify', title: 'Send token as httpOnly cookie (reply.setCookie needs @fastify/cookie registered)' } : { reason: 'the redirect is not a statement of its own, where the cookie call could go before it' };
  }
  if (!/^(res|response|resp)$/.test(root.name)) return { reason: `${root.name} is not a response object the fix recognises` };
  const before = linesBefore(model, call, cookies.map((c) => `${root.name}.cookie(${jsString(c.name, q)}, ${c.value}, ${opts()})${semi}`));
  return before ? { edits: [before], framework: 'express' } : { reason: 'the redirect is not a statement of its own, where the cookie call could go before it' };
}

/** Koa: `ctx.cookies.set(...)` before the redirect. A secure cookie needs Koa to know the request came over HTTPS. */
function koaFix(model: CodeModel, call: ir.Call, cookies: Cookie[], opts: string, semi: string): CookiePlan {
  const recv = ir.unwrap((call.callee as ir.Member).object);
  if (recv.type !== 'Ident') return { reason: 'the Koa context is not a plain variable' };
  const before = linesBefore(model, call, cookies.map((c) => `${recv.name}.cookies.set(${jsString(c.name, preferredQuote(model))}, ${c.value}, ${opts})${semi}`));
  if (!before) return { reason: 'the redirect is not a statement of its own, where the cookie call could go before it' };
  return { edits: [before], framework: 'koa', title: 'Send token as httpOnly cookie (behind a TLS-terminating proxy Koa needs app.proxy = true to send a secure cookie)' };
}

function isKoa(model: CodeModel): boolean {
  return model.usesModule((m) => m === 'koa' || m.startsWith('@koa/') || m === 'koa-router');
}

function isFastify(model: CodeModel): boolean {
  return model.usesModule((m) => m === 'fastify' || m.startsWith('@fastify/') || m === 'fastify-plugin');
}

/** The cookie lines inserted on their own lines right before the statement holding the redirect. */
function linesBefore(model: CodeModel, call: ir.Call, lines: string[]): TextEdit | undefined {
  const stmt = call.parent;
  const awaited = stmt?.type === 'Await' ? stmt.parent : undefined;
  const s = awaited ?? stmt;
  const expr = awaited ? stmt : call;
  if (!s || !((s.type === 'ExprStmt' && s.expr === expr) || (s.type === 'Return' && s.arg === expr))) return undefined;
  if (s.parent?.type !== 'Block' || !startsLine(model, s)) return undefined;
  const indent = indentAt(model.text, s.start);
  return { start: s.start, end: s.start, newText: lines.map((l) => `${l}\n${indent}`).join('') };
}

function importAfterLast(model: CodeModel, line: string): TextEdit {
  const imports = model.root.body.filter((s) => s.type === 'Import');
  const last = imports[imports.length - 1];
  if (!last) return { start: 0, end: 0, newText: `${line}\n` };
  let at = model.text.indexOf('\n', last.end);
  at = at === -1 ? model.text.length : at;
  return { start: at, end: at, newText: `\n${line}` };
}

/** `return redirect(url)` → `response = redirect(clean)`, `response.set_cookie(...)`, `return response`. */
function pythonResponseFix(model: CodeModel, call: ir.Call, cookies: Cookie[]): CookiePlan {
  const style = { quote: preferredQuote(model), prefix: '', triple: false };
  const edits = responseFix(model, call, ['response', 'resp', 'redirect_response'], (name) => cookies.map((c) => `${name}.set_cookie(${pyString(c.name, style)}, ${c.value}, ${pyCookieKeywords(style)})`), (name) => `${name} = `, '');
  return edits ? { edits, framework: 'python' } : { reason: 'the redirect response is neither returned nor assigned where its cookies could be set' };
}

/**
 * Sets the cookies on a redirect response object: `return redirect(...)` is split into an
 * assignment, the cookie calls and `return response`; `response = redirect(...)` gets the cookie
 * calls right after it.
 */
function responseFix(model: CodeModel, call: ir.Call, names: string[], setCookies: (name: string) => string[], declare: (name: string) => string, semi: string): TextEdit[] | undefined {
  const parent = call.parent;
  if (parent && !startsLine(model, parent)) return undefined;
  if (parent?.type === 'Return' && parent.arg === call) {
    const name = freeName(model, call, names);
    const indent = indentAt(model.text, parent.start);
    const sets = setCookies(name).map((l) => `\n${indent}${l}`).join('');
    return [
      { start: parent.start, end: call.start, newText: declare(name) },
      { start: call.end, end: call.end, newText: `${semi}${sets}\n${indent}return ${name}` },
    ];
  }
  if (parent?.type === 'Assign' && parent.value === call && parent.op === '=' && parent.target.type === 'Ident') {
    const stmt = statementOf(parent);
    if (stmt !== parent) return undefined;
    const indent = indentAt(model.text, stmt.start);
    const end = model.text[stmt.end] === ';' ? stmt.end + 1 : stmt.end;
    const name = parent.target.name;
    return [{ start: end, end, newText: setCookies(name).map((l) => `\n${indent}${l}`).join('') }];
  }
  return undefined;
}

/** The cookie takes the URL parameter's name, or the token variable's name when the value filled the whole fragment. */
function cookieName(p: UrlParam): string {
  if (p.name) return p.name;
  const v = ir.unwrap(unwrapEncoder(p.value));
  const base = v.type === 'Ident' ? v.name : v.type === 'Member' ? v.prop : 'access_token';
  return tokenNameKind(base) === 'auth' ? base : 'access_token';
}

/** The token expression must be readable where the cookie is set (the redirect statement). */
function cookieValueMovable(p: UrlParam, sink: ir.Node): boolean {
  const v = ir.unwrap(unwrapEncoder(p.value));
  if (p.site.kind === 'string' && !p.site.via && ir.isInside(p.value, sink)) return true;
  if (v.type !== 'Ident' && v.type !== 'Member') return false;
  return sameFunction(p.value, sink);
}

function unwrapEncoder(n: ir.Node): ir.Node {
  const u = ir.unwrap(n);
  if (u.type === 'Call' && ENCODERS.test(ir.calleeName(u) ?? '') && u.callee.type === 'Ident' && ir.positional(u).length === 1) return unwrapEncoder(ir.positional(u)[0]);
  return u;
}

function rootIdent(n: ir.Node): ir.Ident | undefined {
  let cur = ir.unwrap(n);
  while (cur.type === 'Member' || cur.type === 'Call') cur = ir.unwrap(cur.type === 'Member' ? cur.object : cur.callee);
  return cur.type === 'Ident' ? cur : undefined;
}

function sameFunction(a: ir.Node, b: ir.Node): boolean {
  return ir.enclosingFunction(a) === ir.enclosingFunction(b);
}

/** A name not bound in the function around `at` (nor outside it). */
function freeName(model: CodeModel, at: ir.Node, candidates: string[]): string {
  for (const c of candidates) if (!model.resolve(c, at) && !new RegExp(`\\b${c}\\b`).test(src(model, ir.enclosingFunction(at) ?? model.root))) return c;
  return candidates[candidates.length - 1] + '_';
}

function startsLine(model: CodeModel, n: ir.Node): boolean {
  return !model.text.slice(lineStartOf(model.text, n.start), n.start).trim();
}

function usesSemicolon(model: CodeModel, call: ir.Call): boolean {
  const stmt = statementOf(call);
  return !!stmt && (model.text.slice(stmt.start, stmt.end).trimEnd().endsWith(';') || model.text[stmt.end] === ';');
}
