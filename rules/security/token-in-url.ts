import * as ir from '../kit/model/ir';
import { defineRule, format, type FixResult, type TextEdit } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { urlShape, type UrlParam, type UrlPart } from '../kit/frameworks/url-params';
import { removeParamEdits, preferredQuote } from '../kit/fixes/url-edit';
import { tokenNameKind, tokenValue } from '../kit/frameworks/tokens';
import { constantString, isConstant } from '../kit/model/values';
import { indentAt, jsString, lineStartOf, pyString, src } from '../kit/model/literals';
import { statementOf } from '../kit/fixes/stmt-edits';
import { findLocationRead, storageWrite } from '../kit/frameworks/browser-url';
import { excerpt } from '../kit/frameworks/redact';

const messages = {
  sent: '{value} is sent in the URL {part}{param} passed to {sink}: browser history, server logs and Referer headers keep it',
  readBack: '{value} is read from the URL ({source}) and stored in {storage}: the token travelled in the URL, where browser history, server logs and Referer headers keep it',
};

/** Parameters of the OAuth/OIDC authorization-code flow: carrying them in URLs is the protocol. */
const PROTOCOL_PARAMS = new Set([
  'code', 'state', 'client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'nonce', 'code_challenge', 'code_challenge_method',
  'error', 'error_description', 'error_uri', 'prompt', 'login_hint', 'audience', 'grant_type', 'session_state', 'iss', 'id_token_hint',
  'post_logout_redirect_uri', 'ui_locales', 'max_age', 'acr_values',
]);
/**
 * One-time links a user receives by email (password reset, email verification, invitations and the
 * join/accept pages they lead to, magic links, unsubscribe): a single-use, short-lived token in the
 * URL is the standard design there.
 */
const ONE_TIME_LINK = /reset|verif|confirm|invit|magic|activat|unsubscribe|passwordless|forgot|one[-_]?time|\bjoin\b|accept|claim|redeem/i;
/** Object keys whose value is a URL the browser is sent to. */
const REDIRECT_KEYS = /^(location|redirect|redirect_?(url|to)|redirectTo|destination|return_?(to|url)|returnTo|callback_?url|next_?url|success_?url|cancel_?url)$/i;
const PY_REDIRECTS = /^(redirect|HttpResponseRedirect|HttpResponsePermanentRedirect|RedirectResponse|HTTPFound|HTTPSeeOther|HTTPTemporaryRedirect|HTTPMovedPermanently)$/;
const LOCATION_TARGETS = /^(window\.|document\.|globalThis\.|self\.)?location(\.href)?$|^(window\.|document\.)?location\.(hash|search)$/;

export default defineRule({
  id: 'token-in-url',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  cwe: 598,
  securitySeverity: 6.5,
  triggers: /token|jwt|sign|session|bearer|encode/i,
  docs: {
    summary: 'An access, refresh, id or session token (or any JWT) is put in a URL query string or fragment, or read back from the URL into storage',
    why: 'URLs are not secret: the browser keeps them in its history, servers, proxies and analytics log them, and the next page\'s requests send them in the Referer header. An OAuth callback that redirects to `/app#access_token=...` so the single-page app can pick the token up leaked the token through history, logs and Referer to anyone who could read one of them. The OAuth authorization-code flow keeps tokens out of URLs for this reason: only the one-time `code` and `state` travel there. One-time links sent by email (password reset, email verification, invitations, magic links) are the standard design for those flows and are not reported.',
    fix: 'Send token as httpOnly cookie: for `res.redirect(url)` (Express), `NextResponse.redirect(url)` and Flask/Django/FastAPI `redirect(url)`, the token is set as a cookie (`httpOnly`, `secure`, `sameSite: lax`, named after the URL parameter) and the redirect goes to the same URL without the token parameter, keeping the other parameters. Unsafe: the page that read the token from the URL must now rely on the cookie (sent automatically with same-site requests; JavaScript can no longer read it), so the client code that parsed `location.hash` has to change with it. Koa, Fastify and other frameworks whose cookies need a plugin or HTTPS configuration, URLs built in another function, and tokens read back from the URL in the browser are reported without a fix.',
    examples: {
      js: {
        bad: "const jwt = require('jsonwebtoken');\n\napp.get('/auth/callback', async (req, res) => {\n  const user = await exchangeCode(req.query.code);\n  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });\n  res.redirect(`/app#access_token=${token}`);\n});\n",
        good: "const jwt = require('jsonwebtoken');\n\napp.get('/auth/callback', async (req, res) => {\n  const user = await exchangeCode(req.query.code);\n  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });\n  res.cookie('access_token', token, { httpOnly: true, secure: true, sameSite: 'lax' });\n  res.redirect(`/orders/${user.lastOrderId}?tab=recent`);\n});\n",
      },
      py: {
        bad: "from flask import Flask, redirect\n\napp = Flask(__name__)\n\n\n@app.get(\"/auth/callback\")\ndef callback():\n    token = create_access_token(current_user())\n    return redirect(f\"/app#access_token={token}\")\n",
        good: "from flask import Flask, redirect\n\napp = Flask(__name__)\n\n\n@app.get(\"/auth/callback\")\ndef callback():\n    token = create_access_token(current_user())\n    response = redirect(\"/app\")\n    response.set_cookie(\"access_token\", token, httponly=True, secure=True, samesite=\"Lax\")\n    return response\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const reportSink = (sink: string, url: ir.Node, sinkNode: ir.Node, part: UrlPart = 'path') => {
      const shape = urlShape(model, url, part);
      if (ONE_TIME_LINK.test(shape.text)) return;
      const tokens = shape.params.map((p) => ({ p, value: tokenParam(model, p) })).filter((x): x is { p: UrlParam; value: string } => !!x.value);
      if (!tokens.length) return;
      const first = tokens[0];
      report({
        node: url,
        message: format(messages.sent, { value: first.value, part: first.p.part, param: first.p.name ? ` (${first.p.name})` : '', sink }),
        data: { sink: [sinkNode.start, sinkNode.end], url: [url.start, url.end] },
        noFix: !fixFor(model, sinkNode, url),
      });
    };
    const reportedReads = new Set<ir.Node>();
    const readBack = (value: ir.Node, key: ir.Node | undefined, storage: string) => {
      const read = findLocationRead(model, value);
      if (!read || reportedReads.has(read.node)) return;
      const keyName = key ? constantString(model, key) : undefined;
      const valueName = ir.unwrap(value).type === 'Ident' ? (ir.unwrap(value) as ir.Ident).name : undefined;
      const kinds = [read.param, keyName, valueName].map((n) => tokenNameKind(n));
      if (kinds.includes('other') || !kinds.includes('auth')) return;
      reportedReads.add(read.node);
      report({
        node: read.node,
        message: format(messages.readBack, { value: read.param ?? keyName ?? valueName ?? 'token', source: read.source, storage }),
        noFix: true,
      });
    };
    return {
      Call(call) {
        const sink = sinkOf(model, call);
        if (sink) reportSink(sink.name, sink.url, call);
        for (const a of call.args) {
          const o = ir.unwrap(a.type === 'Keyword' ? a.value : a);
          if (o.type === 'ObjectLit') redirectProps(model, o, (url) => reportSink(`${ir.dottedName(call.callee) ?? 'call'}(...)`, url, call));
        }
        const w = storageWrite(model, call);
        if (w) readBack(w.value, w.key, w.storage);
      },
      Assign(assign) {
        if (!assign.value) return;
        const target = ir.dottedName(assign.target) ?? '';
        if (model.lang === 'js' && LOCATION_TARGETS.test(target)) reportSink(target, assign.value, assign, target.endsWith('.hash') ? 'fragment' : target.endsWith('.search') ? 'query' : 'path');
        if (model.lang === 'py' && assign.target.type === 'Member' && /^location$/i.test(assign.target.prop) && ir.unwrap(assign.target.object).type === 'Member' && (ir.unwrap(assign.target.object) as ir.Member).prop === 'headers') reportSink(`${ir.dottedName(assign.target.object) ?? 'headers'}["Location"]`, assign.value, assign);
        if (model.lang === 'js') {
          const w = storageWrite(model, assign);
          if (w) readBack(w.value, w.key, w.storage);
        }
      },
    };
  },
  fix: {
    title: 'Send token as httpOnly cookie',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [ss, se] = (finding.data?.sink as number[] | undefined) ?? [];
      const [us, ue] = (finding.data?.url as number[] | undefined) ?? [];
      const sinkNode = ir.find(ctx.model.root, (n) => n.start === ss && n.end === se && (n.type === 'Call' || n.type === 'Assign'));
      const url = sinkNode && ir.find(sinkNode, (n) => n.start === us && n.end === ue);
      return sinkNode && url ? fixFor(ctx.model, sinkNode, url) : undefined;
    },
  },
});

/** The description of a parameter's value when it carries an auth token, undefined otherwise. */
function tokenParam(model: CodeModel, p: UrlParam): string | undefined {
  if (PROTOCOL_PARAMS.has(p.name) || isConstant(model, p.value)) return undefined;
  const byName = tokenNameKind(p.name);
  const byValue = tokenValue(model, p.value);
  if (byName === 'other' || byValue === 'other') return undefined;
  if (byValue) return byValue.what;
  if (byName === 'auth') return excerpt(model, p.value);
  return undefined;
}

/** A call that sends the browser to a URL, with the URL argument. */
function sinkOf(model: CodeModel, c: ir.Call): { name: string; url: ir.Node } | undefined {
  const name = ir.calleeName(c) ?? '';
  const dotted = ir.dottedName(c.callee) ?? name;
  const pos = ir.positional(c);
  if (model.lang === 'py') {
    if (!PY_REDIRECTS.test(name)) return undefined;
    const url = ir.keywordArg(c, 'url') ?? ir.keywordArg(c, 'location') ?? ir.keywordArg(c, 'to') ?? pos[0];
    return url ? { name: dotted, url } : undefined;
  }
  if (/^(redirect|permanentRedirect|temporaryRedirect)$/.test(name)) {
    // res.redirect(302, url), reply.redirect(url, 302), redirect(303, url) (SvelteKit)
    const url = pos.find((a) => ir.unwrap(a).type !== 'Num');
    return url ? { name: dotted, url } : undefined;
  }
  if (c.callee.type !== 'Member') {
    return name === 'navigate' && pos[0] ? { name, url: pos[0] } : undefined;
  }
  const recv = ir.dottedName(c.callee.object) ?? '';
  if (name === 'location' && pos.length === 1) return { name: dotted, url: pos[0] };
  if (/^(setHeader|set|header|append)$/.test(name) && pos.length >= 2 && /^location$/i.test(constantString(model, pos[0]) ?? '')) return { name: dotted, url: pos[1] };
  if ((name === 'assign' || name === 'replace') && /(^|\.)location$/.test(recv) && pos[0]) return { name: dotted, url: pos[0] };
  if (dotted === 'window.open' && pos[0]) return { name: dotted, url: pos[0] };
  if ((name === 'pushState' || name === 'replaceState') && pos[2]) return { name: dotted, url: pos[2] };
  if ((name === 'push' || name === 'replace') && /(^|\.)router$/i.test(recv) && pos[0]) return { name: dotted, url: pos[0] };
  return undefined;
}

/** `{ headers: { Location: url } }`, `{ redirectTo: url }`, `{ redirect: { destination: url } }` handed to a call. */
function redirectProps(model: CodeModel, o: ir.ObjectLit, found: (url: ir.Node) => void, depth = 0): void {
  for (const p of o.props) {
    if (p.type !== 'Prop' || !p.key) continue;
    const v = ir.unwrap(p.value);
    if (v.type === 'ObjectLit') { if (depth < 2) redirectProps(model, v, found, depth + 1); continue; }
    if (REDIRECT_KEYS.test(p.key) && !isConstant(model, v)) found(p.value);
  }
}

// ---------------------------------------------------------------------------------------------
// Fix: set the token as an httpOnly cookie on the response and redirect to the clean URL.

/** Calls that write an unwrapped token into a cookie value (the cookie serializer encodes it). */
const ENCODERS = /^(encodeURIComponent|encodeURI|quote|quote_plus|String|str)$/;

function fixFor(model: CodeModel, sinkNode: ir.Node, url: ir.Node): FixResult | undefined {
  if (sinkNode.type !== 'Call') return undefined;
  const shape = urlShape(model, url);
  const tokens = shape.params.filter((p) => tokenParam(model, p));
  if (!tokens.length || tokens.some((p) => !cookieValueMovable(p, sinkNode))) return undefined;
  const clean = removeParamEdits(model, tokens);
  if (!clean) return undefined;
  // A URL built in another function may serve other callers: only rewrite it where it is redirected.
  if (tokens.some((p) => (p.site.kind === 'string' && !sameFunction(p.site.expr, sinkNode)) || (p.site.kind === 'setter' && !sameFunction(p.site.call, sinkNode)))) return undefined;
  const cookies = tokens.map((p) => ({ name: cookieName(p), value: src(model, unwrapEncoder(p.value)) }));
  if (new Set(cookies.map((c) => c.name)).size !== cookies.length) return undefined;
  const edits = model.lang === 'py' ? pythonResponseFix(model, sinkNode, cookies) : jsFix(model, sinkNode, cookies);
  return edits ? { edits: [...clean, ...edits] } : undefined;
}

function jsFix(model: CodeModel, call: ir.Call, cookies: { name: string; value: string }[]): TextEdit[] | undefined {
  const callee = call.callee;
  if (callee.type !== 'Member' || callee.prop !== 'redirect') return undefined;
  const recv = ir.unwrap(callee.object);
  const q = preferredQuote(model);
  const opts = '{ httpOnly: true, secure: true, sameSite: ' + jsString('lax', q) + ' }';
  // NextResponse.redirect(...) returns the response: set the cookie on it before returning it.
  if (recv.type === 'Ident' && recv.name === 'NextResponse') {
    const semi = usesSemicolon(model, call) ? ';' : '';
    return responseFix(model, call, ['response', 'res', 'redirectResponse'], (name) => cookies.map((c) => `${name}.cookies.set(${jsString(c.name, q)}, ${c.value}, ${opts})${semi}`), (name) => `const ${name} = `, semi);
  }
  // Express: res.cookie(...) before res.redirect(...). Fastify and Koa set cookies through plugins
  // and need HTTPS awareness configured, so they get no automatic fix.
  if (recv.type !== 'Ident' || !/^(res|response|resp)$/.test(recv.name) || model.usesModule((m) => m === 'fastify' || m === 'koa' || m.startsWith('@koa/') || m === 'koa-router')) return undefined;
  // The cookie call goes right before the redirect's own statement, on a line of its own.
  const stmt = call.parent;
  if (!stmt || !((stmt.type === 'ExprStmt' && stmt.expr === call) || (stmt.type === 'Return' && stmt.arg === call))) return undefined;
  if (stmt.parent?.type !== 'Block' || !startsLine(model, stmt)) return undefined;
  const semi = statementEndsWithSemicolon(model, stmt) ? ';' : '';
  const indent = indentAt(model.text, stmt.start);
  const lines = cookies.map((c) => `${recv.name}.cookie(${jsString(c.name, q)}, ${c.value}, ${opts})${semi}\n${indent}`).join('');
  return [{ start: stmt.start, end: stmt.start, newText: lines }];
}

/** `return redirect(url)` → `response = redirect(clean)`, `response.set_cookie(...)`, `return response`. */
function pythonResponseFix(model: CodeModel, call: ir.Call, cookies: { name: string; value: string }[]): TextEdit[] | undefined {
  const style = { quote: preferredQuote(model), prefix: '', triple: false };
  return responseFix(model, call, ['response', 'resp', 'redirect_response'], (name) => cookies.map((c) => `${name}.set_cookie(${pyString(c.name, style)}, ${c.value}, httponly=True, secure=True, samesite=${pyString('Lax', style)})`), (name) => `${name} = `, '');
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
  return !!stmt && statementEndsWithSemicolon(model, stmt);
}

function statementEndsWithSemicolon(model: CodeModel, stmt: ir.Node): boolean {
  return model.text.slice(stmt.start, stmt.end).trimEnd().endsWith(';') || model.text[stmt.end] === ';';
}
