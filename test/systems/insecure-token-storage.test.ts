/**
 * Proves the insecure-token-storage quick fix ("Harden cookie") over real HTTP: before the fix the
 * sign-in response's Set-Cookie headers carry the session cookie without HttpOnly, Secure and
 * SameSite; after it they carry all three, the options the code already gave (Max-Age) are kept,
 * non-auth cookies (theme, lang) are left alone, and the session cookie still signs the user in.
 */
import { FireResult, request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'insecure-token-storage';
const LOGIN = { email: 'ada@example.com', password: 'correct horse battery staple' };
const FLAGS: [string, RegExp][] = [['HttpOnly', /;\s*HttpOnly/i], ['Secure', /;\s*Secure/i], ['SameSite', /;\s*SameSite=(Lax|Strict)/i]];

/** Set-Cookie headers by cookie name. */
function setCookies(r: FireResult): Record<string, string> {
  return Object.fromEntries(r.setCookies.map((c) => [c.split('=')[0], c]));
}

const flagsOf = (cookie = '') => FLAGS.filter(([, re]) => re.test(cookie)).map(([n]) => n);

interface Side { login: FireResult; cookies: Record<string, string>; me: FireResult }

async function signIn(url: string, headers: Record<string, string> = {}): Promise<Side> {
  const login = await request(url, { path: '/login', method: 'POST', body: LOGIN, headers });
  const cookies = setCookies(login);
  const session = (cookies.session_token ?? '').split(';')[0];
  const me = await request(url, { path: '/me', headers: { ...headers, cookie: session } });
  return { login, cookies, me };
}

/**
 * `auth` cookies must gain every flag; `kept` attributes (e.g. Max-Age) must survive the fix;
 * `plain` cookies (preferences) must come out as they did before.
 */
function judge(label: string, before: Side, after: Side, auth: string[], plain: string[], kept: Record<string, RegExp> = {}): void {
  const checks = new Checks();
  checks.expect(before.login.status === 200 && before.me.status === 200, `before the fix: sign-in does not work (${before.login.status}, ${before.me.status})`);
  for (const name of auth) {
    checks.expect(!!before.cookies[name] && flagsOf(before.cookies[name]).length < 3, `${name} before the fix: expected a cookie missing a flag: ${before.cookies[name]}`);
    checks.same(flagsOf(after.cookies[name]), ['HttpOnly', 'Secure', 'SameSite'], `${name} after the fix: flags`);
  }
  for (const [name, re] of Object.entries(kept)) checks.expect(re.test(after.cookies[name] ?? ''), `${name} after the fix lost ${re.source}: ${after.cookies[name]}`);
  for (const name of plain) checks.same(after.cookies[name], before.cookies[name], `${name} (not an auth cookie) changed`);
  checks.same(after.login.json, before.login.json, 'the sign-in response body');
  checks.same([after.me.status, after.me.json], [before.me.status, before.me.json], 'GET /me with the session cookie');
  // The value and the expiry date differ on every run: the row shows neither.
  const shown = (c?: string) => (c ?? 'none').replace(/=[^;]+/, '=…').replace(/;\s*expires=[^;]+/i, '');
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `fails: ${auth.map((n) => `Set-Cookie: ${shown(before.cookies[n])}`).join('; ')}`,
    afterFix: checks.ok
      ? `passes: ${auth.map((n) => `Set-Cookie: ${shown(after.cookies[n])}`).join('; ')}; ${plain.join(', ')} unchanged; the session cookie still signs in (GET /me ${after.me.status})`
      : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

async function prove(fixed: FixedSource, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>, headers: Record<string, string> = {}): Promise<[Side, Side]> {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
  const sides: Side[] = [];
  for (const source of [fixed.before, fixed.after]) {
    const served = await serve(source);
    try {
      sides.push(await signIn(served.url, headers));
    } finally {
      await served.close();
    }
  }
  return [sides[0], sides[1]];
}

describe('insecure-token-storage fix over real Set-Cookie headers', function () {
  this.timeout(60_000);

  it('test/systems/apps/insecure-token-storage/login.js (Express res.cookie)', async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/insecure-token-storage/login.js'));
    try {
      const [before, after] = await prove(fixed, (source) => serveModule(source));
      judge('Express (res.cookie)', before, after, ['session_token', 'remember_me'], ['theme'], { remember_me: /Max-Age=2592000/ });
    } finally {
      fixed.cleanup();
    }
  });

  /**
   * Koa and Fastify apps are served through an Express host that hands every request to the
   * framework's own handler, so the framework writes its Set-Cookie headers itself. Requests say
   * they came through an HTTPS proxy (Koa sends a Secure cookie only then).
   */
  const HOSTS: Record<'koa' | 'fastify', string> = {
    koa: "const express = require('express');\nconst koaApp = require('./framework-app.js');\nconst app = express();\napp.use(koaApp.callback());\nmodule.exports = app;\n",
    fastify: "const express = require('express');\nconst fastifyApp = require('./framework-app.js');\nconst app = express();\napp.use(async (req, res) => { await fastifyApp.ready(); fastifyApp.routing(req, res); });\nmodule.exports = app;\n",
  };
  for (const [framework, file, label] of [
    ['koa', 'login-koa.js', 'Koa (ctx.cookies.set, app.proxy behind TLS)'],
    ['fastify', 'login-fastify.js', 'Fastify (reply.setCookie, @fastify/cookie)'],
  ] as const) {
    it(`test/systems/apps/insecure-token-storage/${file} (${framework})`, async function () {
      const fixed = await applyRuleFix(RULE, 'framework-app.js', fixture(`test/systems/apps/insecure-token-storage/${file}`));
      try {
        const [before, after] = await prove(fixed, (source) => serveModule(HOSTS[framework], { files: { 'framework-app.js': source } }), { 'x-forwarded-proto': 'https' });
        judge(label, before, after, ['session_token'], ['theme']);
      } finally {
        fixed.cleanup();
      }
    });
  }

  describe('FastAPI: test/systems/apps/insecure-token-storage/login_fastapi.py', function () {
    const label = 'FastAPI (Response.set_cookie, uvicorn)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'fastapi', 'uvicorn'); });

    it('the session cookie gains httponly and secure; SameSite stays Starlette\'s lax', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/insecure-token-storage/login_fastapi.py'));
      try {
        const [before, after] = await prove(fixed, (source) => servePython(source, { asgi: true }));
        judge(label, before, after, ['session_token'], ['lang']);
      } finally {
        fixed.cleanup();
      }
    });
  });

  describe('Flask: test/systems/apps/insecure-token-storage/login_flask.py', function () {
    const label = 'Flask (response.set_cookie)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('the session cookie gains httponly, secure and samesite', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/insecure-token-storage/login_flask.py'));
      try {
        const [before, after] = await prove(fixed, (source) => servePython(source));
        judge(label, before, after, ['session_token'], ['lang']);
      } finally {
        fixed.cleanup();
      }
    });
  });
});
