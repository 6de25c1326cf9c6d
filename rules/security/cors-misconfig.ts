import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { excerpt } from '../kit/frameworks/redact';
import { djangoSite, headerSite, jsCorsSite, pyCorsSite, type CorsSite } from './cors-misconfig.sites';
import { restrictOrigins, whyNoRestrict } from './cors-misconfig.fix';

const messages = {
  credentialed: '{what} lets {origins} make credentialed requests: any site a signed-in user visits can call this API with their cookies and read the answers',
  header: 'Access-Control-Allow-Origin is set from the request ({value}): every site is allowed, including one that calls this API with a visitor\'s cookies',
};

export default defineRule({
  id: 'cors-misconfig',
  category: 'security',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 942,
  securitySeverity: 6.5,
  triggers: /cors|CORS|Access-Control-Allow-Origin/i,
  docs: {
    summary: 'CORS allows every origin (`*`, `origin: true`, a callback that accepts all, the request\'s own Origin echoed back) together with credentials',
    why: 'With credentials allowed, the browser sends the user\'s cookies on cross-site requests and lets the calling page read the response. An origin policy of "everyone" (`origin: true`, `(origin, cb) => cb(null, true)`, `supports_credentials=True` with the default origins, `allow_origins=["*"]` with `allow_credentials=True`, or the Origin header copied into Access-Control-Allow-Origin) means any site a signed-in user visits can call the API as that user and read their data.',
    fix: 'Restrict origins: the allowed origins become a list read from the `CORS_ALLOWED_ORIGINS` environment variable (comma-separated), declared once at the top of the module; a hand-set Access-Control-Allow-Origin header is only sent for an origin in that list. The fix is unsafe: until the variable lists your front-end origins, browsers refuse cross-origin calls.',
    examples: {
      js: {
        bad: "const cors = require('cors');\napp.use(cors({ origin: true, credentials: true }));\n",
        good: "const cors = require('cors');\napp.use(cors({ origin: ['https://app.example.com'], credentials: true }));\n",
      },
      py: {
        bad: "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n",
        good: "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'], allow_credentials=True)\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const emit = (site: CorsSite | undefined) => {
      if (!site) return;
      if (site.kind !== 'header' && !(site.credentials && site.policy !== 'restricted')) return;
      const node = site.origin ?? site.node;
      const message = site.kind === 'header'
        ? format(messages.header, { value: excerpt(model, site.origin!) })
        : format(messages.credentialed, { what: what(site), origins: site.policy === 'any' ? 'every origin (*)' : 'every origin (the request\'s own Origin is echoed back)' });
      report({ node, message, data: { site: [site.node.start, site.node.end] }, noFix: whyNoRestrict(model, site) ?? false });
    };
    return {
      Call(c) {
        emit(model.lang === 'js' ? jsCorsSite(model, c) : pyCorsSite(model, c));
        emit(headerSite(model, c));
      },
      Prop(p) {
        emit(headerSite(model, p));
      },
      Assign(a) {
        if (model.lang !== 'py') return;
        emit(djangoSite(model, a));
        emit(headerSite(model, a));
      },
    };
  },
  fix: {
    title: 'Restrict origins',
    safety: 'unsafe',
    produce(finding, ctx) {
      const site = siteAt(ctx.model, finding.data?.site as number[] | undefined);
      return site ? restrictOrigins(ctx.model, site) : undefined;
    },
  },
});

function what(site: CorsSite): string {
  switch (site.library) {
    case 'cors': return 'cors()';
    case 'koa': return '@koa/cors';
    case 'fastify': return '@fastify/cors';
    case 'hono': return 'hono cors()';
    case 'nest': return 'NestJS CORS';
    case 'flask-cors': return 'Flask-CORS';
    case 'starlette': return 'CORSMiddleware';
    case 'django': return 'django-cors-headers';
    default: return 'CORS';
  }
}

function siteAt(model: CodeModel, range: number[] | undefined): CorsSite | undefined {
  if (!range) return undefined;
  const [start, end] = range;
  for (const c of model.calls) {
    if (c.start !== start || c.end !== end) continue;
    const s = model.lang === 'js' ? jsCorsSite(model, c) : pyCorsSite(model, c);
    return s ?? headerSite(model, c);
  }
  for (const a of model.nodesOfType('Assign')) {
    if (a.start === start && a.end === end) return djangoSite(model, a) ?? headerSite(model, a);
  }
  for (const p of model.nodesOfType('Prop')) if (p.start === start && p.end === end) return headerSite(model, p);
  return undefined;
}
