import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { httpCall, type HttpCall } from '../kit/frameworks/http-clients';
import { isBrowserCode, isPageRelativeUrl } from '../kit/frameworks/browser-code';
import { isScriptFile } from '../kit/frameworks/per-request';
import { excerpt } from '../kit/frameworks/redact';
import { src } from '../kit/model/literals';
import { planTimeout } from './missing-timeout.fix';

const messages = {
  missing: '{call} to {host} has no timeout: if the server stops answering, {where} waits forever and holds its worker; {advice}',
};

const ADVICE: Record<HttpCall['library'], string> = {
  fetch: 'pass `signal: AbortSignal.timeout(10_000)`',
  axios: 'pass `timeout: 10_000` (or set it once on an axios.create instance)',
  got: 'pass `timeout: { request: 10_000 }`',
  ky: 'remove `timeout: false` (ky defaults to ten seconds) or set a bound',
  superagent: 'chain `.timeout(10_000)`',
  'node-http': 'set a timeout on the request and destroy it when it fires',
  requests: 'pass `timeout=10`',
  httpx: 'replace `timeout=None` with a bound (httpx defaults to five seconds)',
  urllib: 'pass `timeout=10`',
  aiohttp: 'pass `timeout=aiohttp.ClientTimeout(total=10)`',
};

export default defineRule({
  id: 'missing-timeout',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 400,
  triggers: /fetch|axios|got|superagent|request|urlopen|https?\.(get|request)|\bky\b|httpx/,
  docs: {
    summary: 'An outbound HTTP request with no timeout: fetch without an abort signal, axios/got/superagent without a timeout (on the call or the instance), Python requests or urllib without timeout=',
    why: 'A request with no timeout waits as long as the other side keeps the connection open, and a dependency that accepts connections but stops answering (a deploy, a full queue, a dead load balancer) does exactly that. Every request or job that reaches the call then hangs with it, holding its worker, its database connection and its memory, until the service runs out of all three: the network call that times out partway through, in the field reports on AI-written code, is usually one that never had a timeout to begin with. Python `requests` waits forever by default; Node\'s fetch waits for minutes; axios, got and superagent wait forever unless configured. Calls with a timeout or abort signal, calls through an axios/got instance created with a timeout (or `axios.defaults.timeout`), a requests Session given one, ky and httpx (both apply a default timeout unless it is switched off), aiohttp (a five-minute total by default) and browser code (the user can reload; a page-relative URL or a client component says so) are not reported.',
    fix: 'Add timeout: `signal: AbortSignal.timeout(10_000)` in the fetch options, `timeout: 10_000` in the axios config, `timeout: { request: 10_000 }` for got, `.timeout(10_000)` chained on superagent, `timeout=10` for requests and urllib. An options object held in a variable is spread into a new one with the timeout added; a bound switched off (`timeout: false` for ky, `timeout: 0` for axios, `timeout=None` for requests and httpx) gets the bound instead. The call then fails with a timeout error after ten seconds instead of hanging, so the caller\'s error handling runs: adjust the bound to what the dependency needs. No fix is offered for node\'s http/https, whose `timeout` option only emits an event: destroy the request in its handler.',
    examples: {
      js: {
        bad: "export async function lookupRates(currency) {\n  const res = await fetch(`https://rates.example.com/v1/${encodeURIComponent(currency)}`);\n  return res.json();\n}\n",
        good: "export async function lookupRates(currency) {\n  const res = await fetch(`https://rates.example.com/v1/${encodeURIComponent(currency)}`, { signal: AbortSignal.timeout(10_000) });\n  return res.json();\n}\n",
      },
      py: {
        bad: "import requests\n\n\ndef lookup_rates(currency):\n    res = requests.get(f\"https://rates.example.com/v1/{currency}\")\n    return res.json()\n",
        good: "import requests\n\n\ndef lookup_rates(currency):\n    res = requests.get(f\"https://rates.example.com/v1/{currency}\", timeout=10)\n    return res.json()\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    // A page can be reloaded and a terminal script interrupted: neither holds a server's workers.
    if (isScriptFile(model)) return {};
    const browser = isBrowserCode(model);
    return {
      Call(call) {
        if (browser && !inServerEntry(call)) return;
        const h = httpCall(model, call);
        if (!h || h.timeout || h.library === 'aiohttp') return;
        if ((isPageRelativeUrl(h.url) && !viaInstance(model, h)) || isBundledFile(model, h.url) || optionsUnseen(model, h)) return;
        const plan = planTimeout(model, h);
        report({
          node: call,
          message: format(messages.missing, { call: excerpt(model, call.callee, 40), host: hostOf(h), where: whereOf(call), advice: ADVICE[h.library] }),
          data: { call: [call.start, call.end] },
          noFix: 'reason' in plan ? plan.reason : false,
        });
      },
    };
  },
  fix: {
    title: 'Add timeout',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === start && c.end === end);
      const h = call && httpCall(ctx.model, call);
      if (!h) return undefined;
      const plan = planTimeout(ctx.model, h);
      return 'edits' in plan ? { edits: plan.edits } : undefined;
    },
  },
});

/**
 * Options we cannot read may carry the timeout: a parameter or a call result passed as the
 * options, a spread into them, or Python `**kwargs`. Reporting those would guess.
 */
function optionsUnseen(model: CodeModel, h: HttpCall): boolean {
  if (model.lang === 'py') return h.call.args.some((a) => a.type === 'Spread');
  const opts = h.options && h.options !== h.url ? ir.unwrap(h.options) : undefined;
  if (!opts) return false;
  const seen = opts.type === 'Ident' ? model.valueOf(opts) : opts;
  const lit = seen && ir.unwrap(seen);
  if (!lit) return true;
  return lit.type !== 'ObjectLit' || lit.props.some((p) => p.type === 'Spread');
}

/** `fetch(new URL('./font.ttf', import.meta.url))`, `file:` URLs: a file shipped with the code, not a server. */
function isBundledFile(model: CodeModel, url: ir.Node | undefined): boolean {
  const u = url && ir.unwrap(url);
  if (!u) return false;
  if (u.type === 'Str') return u.value.startsWith('file:');
  return u.type === 'Call' && u.isNew && ir.dottedName(u.callee) === 'URL' && !!u.args[1] && /^import\.meta\.(url|dirname)$/.test(src(model, u.args[1]).trim());
}

/** Server-side entry points that live in files of UI components: Remix/React Router loaders and actions, Next.js data functions. */
const SERVER_ENTRY = /^(loader|action|getServerSideProps|getStaticProps|getStaticPaths|generateMetadata|generateStaticParams|getInitialProps)$/;

function inServerEntry(call: ir.Call): boolean {
  for (let fn = ir.enclosingFunction(call); fn; fn = ir.enclosingFunction(fn)) {
    if (SERVER_ENTRY.test(fn.name ?? '')) return true;
    const decl = fn.parent?.type === 'Assign' && fn.parent.target.type === 'Ident' ? fn.parent.target.name : undefined;
    if (decl && SERVER_ENTRY.test(decl)) return true;
  }
  return false;
}

/** Sent through a client instance (`api.get('/users')`): its paths are relative to the instance's base URL, not the page. */
function viaInstance(model: CodeModel, h: HttpCall): boolean {
  if (h.library === 'fetch') return false;
  const root = (ir.dottedName(h.call.callee) ?? '').split('.')[0];
  return !model.moduleOf(root);
}

function hostOf(h: HttpCall): string {
  const u = h.url && ir.unwrap(h.url);
  const text = u?.type === 'Str' ? u.value : u?.type === 'Template' ? u.quasis[0] : '';
  const m = /^https?:\/\/([^/:?#]+)/.exec(text);
  return m ? m[1] : 'its server';
}

/** Who waits with the call: the function it is in, or the module's caller. */
function whereOf(call: ir.Call): string {
  const name = ir.enclosingFunction(call)?.name;
  return name ? name : 'the caller';
}
