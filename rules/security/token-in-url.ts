import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { urlShape, type UrlParam, type UrlPart } from '../kit/frameworks/url-params';
import { tokenNameKind, tokenValue } from '../kit/frameworks/tokens';
import { constantString, isConstant } from '../kit/model/values';
import { planCookieFix, produceCookieFix } from './token-in-url.fix';
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
  scope: 'file',
  cwe: 598,
  securitySeverity: 6.5,
  triggers: /token|jwt|sign|session|bearer|encode/i,
  docs: {
    summary: 'An access, refresh, id or session token (or any JWT) is put in a URL query string or fragment, or read back from the URL into storage',
    why: 'URLs are not secret: the browser keeps them in its history, servers, proxies and analytics log them, and the next page\'s requests send them in the Referer header. An OAuth callback that redirects to `/app#access_token=...` so the single-page app can pick the token up leaked the token through history, logs and Referer to anyone who could read one of them. The OAuth authorization-code flow keeps tokens out of URLs for this reason: only the one-time `code` and `state` travel there. One-time links sent by email (password reset, email verification, invitations, magic links) are the standard design for those flows and are not reported.',
    fix: 'Send token as httpOnly cookie: the token is set as a cookie (`httpOnly`, `secure`, `sameSite: lax`, named after the URL parameter) on the response that redirects, and the redirect goes to the same URL without the token parameter, keeping the other parameters. Express `res.cookie` (also Nest\'s `@Res() res.status(302).redirect(...)`), Koa `ctx.cookies.set` (for `ctx.redirect` and `ctx.set(\'Location\', ...)`), Fastify `reply.setCookie` (offered when the module or the workspace uses `@fastify/cookie`), Next.js `NextResponse.redirect` (`response.cookies.set`) and `redirect()` from `next/navigation` (`(await cookies()).set` from `next/headers`), Flask, FastAPI and Django redirect responses (`response.set_cookie(..., httponly=True, secure=True, samesite="Lax")`). Unsafe: the page that read the token from the URL must now rely on the cookie (sent automatically with same-site requests; JavaScript can no longer read it), so the client code that parsed `location.hash` has to change with it; Koa behind a TLS-terminating proxy needs `app.proxy = true` to send a secure cookie. URLs built in another function, browser code assigning `location`, and tokens read back from the URL in the browser get no fix, and say why.',
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
        noFix: noFixReason(model, sinkNode, url),
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
        noFix: 'the browser code only reads what the server put in the URL: make the server redirect set the token as an httpOnly cookie and drop this read',
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
      return sinkNode && url ? produceCookieFix(ctx, planCookieFix(ctx.model, sinkNode, url, (p) => !!tokenParam(ctx.model, p))) : undefined;
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

/** The method or function names of the JS sinks sinkOf recognises. */
const JS_SINK_NAMES = /^(redirect|permanentRedirect|temporaryRedirect|navigate|location|setHeader|set|header|append|assign|replace|open|pushState|replaceState|push)$/;

/** A call that sends the browser to a URL, with the URL argument. */
function sinkOf(model: CodeModel, c: ir.Call): { name: string; url: ir.Node } | undefined {
  const name = ir.calleeName(c) ?? '';
  // Every sink below is named one of these: other calls are ruled out before any name is built.
  if (!(model.lang === 'py' ? PY_REDIRECTS : JS_SINK_NAMES).test(name)) return undefined;
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

function noFixReason(model: CodeModel, sinkNode: ir.Node, url: ir.Node): string | false {
  const plan = planCookieFix(model, sinkNode, url, (p) => !!tokenParam(model, p));
  return 'reason' in plan ? plan.reason : false;
}
