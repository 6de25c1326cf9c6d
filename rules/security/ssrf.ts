import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { stringParts, type StringPart } from '../kit/model/values';
import { isClosedString } from '../kit/model/closed';
import { isOperatorValue } from '../kit/frameworks/config-values';
import { httpCall, type HttpCall } from '../kit/frameworks/http-clients';
import { taintOf } from '../kit/frameworks/taint';
import { excerpt } from '../kit/frameworks/redact';
import { allowlistGuard, whyNoGuard } from './ssrf.fix';

const messages = {
  request: '{call} requests a URL whose host comes from request data ({value}) with no host allowlist: a caller can make the server fetch internal addresses (localhost, 169.254.169.254, the database)',
};

/** Names of checks that vet a URL or its host before it is fetched. */
const HOST_CHECK_CALL = /allow|whitelist|safe_?url|is_?safe|valid(ate)?_?(url|host|target|domain)|check_?(url|host)|is_?private|is_?internal|ssrf|trusted|is_?public|url_has_allowed_host/i;
const HOST_FIELDS = /^(hostname|host|origin|netloc)$/;

export default defineRule({
  id: 'ssrf',
  category: 'security',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 918,
  securitySeverity: 8.6,
  docs: {
    summary: 'An outbound HTTP request to a URL whose host comes from request input, with no host allowlist check in the same function',
    why: 'A "fetch this image URL for me" or "import from URL" endpoint fetches whatever the caller names. The file-upload-by-URL endpoint an assistant wrote became an SSRF: `http://169.254.169.254/latest/meta-data/iam/security-credentials/` returned the cloud credentials of the server, and `http://localhost:6379/` reached the internal Redis. Checking the host against an allowlist before the request keeps the server on the hosts it is meant to reach.',
    fix: 'Add a host allowlist guard: a module-level constant set `ALLOWED_FETCH_HOSTS` (empty, for you to fill with the hosts the endpoint may reach) and, right before the request, a check of the URL\'s hostname against it that answers 400 (or raises) when the host is not in the set. The fix is unsafe: until the set is filled, the endpoint refuses every URL.',
    examples: {
      js: {
        bad: "app.post('/import', async (req, res) => {\n  const upstream = await fetch(req.body.url);\n  res.send(await upstream.text());\n});\n",
        good: "app.get('/avatar/:user', async (req, res) => {\n  const upstream = await fetch(`https://avatars.example.com/u/${encodeURIComponent(req.params.user)}`);\n  res.send(await upstream.text());\n});\n",
      },
      py: {
        bad: "import requests\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.post('/import')\ndef import_url():\n    return requests.get(request.json['url'], timeout=10).text\n",
        good: "import requests\nfrom flask import Flask, request\napp = Flask(__name__)\n\n@app.get('/weather')\ndef weather():\n    return requests.get('https://api.weather.example/v1/now', params={'city': request.args['city']}, timeout=10).text\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        const http = httpCall(model, call);
        if (!http?.url) return;
        const value = hostFromRequest(model, http.url);
        if (!value || hasHostCheck(model, call)) return;
        report({
          node: http.url,
          message: format(messages.request, { call: http.name, value: excerpt(model, value) }),
          data: { call: [call.start, call.end] },
          noFix: whyNoGuard(model, http) ?? false,
        });
      },
    };
  },
  fix: {
    title: 'Add host allowlist guard',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === start && c.end === end);
      const http: HttpCall | undefined = call && httpCall(ctx.model, call);
      return http ? allowlistGuard(ctx.model, http) : undefined;
    },
  },
});

/**
 * The request value that decides the host of a URL, when one does. A URL whose constant (or
 * operator-configured) beginning already names the scheme and host, up to the `/`, `?` or `#`
 * after it, keeps its host whatever follows; so does a relative path. A URL made by a call
 * (`new URL(x)`, `makeUrl(base, params)`) takes its host from the call's first argument.
 */
function hostFromRequest(model: CodeModel, url: ir.Node, depth = 0): ir.Node | undefined {
  if (depth > 8) return undefined;
  const d = depth + 1;
  const u = ir.unwrap(url);
  if (isClosedString(model, u) || isOperatorValue(model, u)) return undefined;
  const build = stringParts(model, u);
  if (build && build.how !== 'other') {
    let prefix = '';
    for (const p of build.parts) {
      if (p.kind === 'const') { prefix += p.text; if (hostFixed(prefix)) return undefined; continue; }
      if (isFixedValue(model, p)) {
        // A configured base URL (`${process.env.API_URL}/users`) fixes the host once a path follows.
        prefix += prefix ? 'x' : 'https://configured';
        continue;
      }
      const hit = hostFromRequest(model, p.node, d);
      if (hit) return hit;
      // A value that is not request data (a scheme, a helper's result) takes its place in the text.
      prefix += prefix ? 'x' : 'x:';
    }
    return undefined;
  }
  switch (u.type) {
    case 'Ident': {
      const v = model.valueOf(u);
      if (v && v !== u) return hostFromRequest(model, v, d);
      return taintOf(model, u) === 'request' ? u : undefined;
    }
    case 'Member':
      // The scheme or port of a URL cannot move the request to another host.
      if (/^(protocol|port|scheme)$/.test(u.prop)) return undefined;
      return taintOf(model, u) === 'request' ? u : undefined;
    case 'Call': {
      if (u.callee.type === 'Member' && taintOf(model, u.callee.object) === 'request') return u;
      const first = ir.positional(u)[0];
      return first ? hostFromRequest(model, first, d) : undefined;
    }
    case 'Binary': case 'Cond': {
      const [a, b] = u.type === 'Binary' ? [u.left, u.right] : [u.then, u.else];
      return hostFromRequest(model, a, d) ?? hostFromRequest(model, b, d);
    }
    default: return taintOf(model, u) === 'request' ? u : undefined;
  }
}

function isFixedValue(model: CodeModel, p: Extract<StringPart, { kind: 'dyn' }>): boolean {
  return isClosedString(model, p.node) || isOperatorValue(model, p.node);
}

function hostFixed(prefix: string): boolean {
  if (/^\/(?!\/)/.test(prefix) || /^\.\.?\//.test(prefix)) return true;
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]+[/?#]/i.test(prefix);
}

/** A host or allowlist check earlier in the function that makes the request. */
function hasHostCheck(model: CodeModel, call: ir.Call): boolean {
  const fn = ir.enclosingFunction(call);
  if (!fn) return false;
  const within = (n: ir.Node) => n.start >= fn.start && n.start < call.start;
  for (const m of membersIn(model, fn)) {
    // `req.hostname` and `req.headers.host` name the server, not the URL about to be fetched.
    if (within(m) && HOST_FIELDS.test(m.prop) && !/^(req|request|ctx)(\.|$)/.test(ir.dottedName(m.object) ?? '')) return true;
  }
  for (const c of callsIn(model, fn)) {
    if (!within(c)) continue;
    const name = ir.dottedName(c.callee) ?? '';
    if (HOST_CHECK_CALL.test(name.split('.').pop() ?? '')) return true;
    // ipaddress.ip_address(host).is_private, dns lookups before connecting.
    if (/^(ipaddress\.ip_address|ip_address|dns\.lookup|lookup|socket\.gethostbyname|gethostbyname|isIP|net\.isIP)$/.test(name)) return true;
  }
  return false;
}

function slice<T extends ir.Node>(all: T[], fn: ir.Func): T[] {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (all[mid].start < fn.start) lo = mid + 1; else hi = mid; }
  const out: T[] = [];
  for (let i = lo; i < all.length && all[i].start < fn.end; i++) out.push(all[i]);
  return out;
}

function membersIn(model: CodeModel, fn: ir.Func): ir.Member[] {
  return slice(model.cached('ssrf:members', () => [...model.nodesOfType('Member')].sort((a, b) => a.start - b.start)), fn);
}

function callsIn(model: CodeModel, fn: ir.Func): ir.Call[] {
  return slice(model.cached('ssrf:calls', () => [...model.calls].sort((a, b) => a.start - b.start)), fn);
}
