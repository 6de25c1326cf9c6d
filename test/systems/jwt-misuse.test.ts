/**
 * Proves the jwt-misuse quick fixes over real HTTP ("Verify instead of decode" and "Add expiry"):
 * before the fix the API accepts a token with `alg: none`, a token whose payload was edited after
 * signing, and a token signed with another key, because it decodes without verifying; after it
 * those get 401 while the token the API issued still works, and newly issued tokens carry an
 * `exp` one hour ahead. Express with jsonwebtoken, Flask with PyJWT.
 */
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { FireResult, request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { servePython, skipWithoutPython } from './python';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'jwt-misuse';
const LOGIN = { user: 'ada', password: 'correct horse battery staple' };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Tokens an attacker can make without the secret, given one real token. */
function forgeries(real: string): Record<string, string> {
  const [header, , signature] = real.split('.');
  const admin = { sub: 'mallory', role: 'admin' };
  return {
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(admin)}.`,
    'edited payload': `${header}.${b64(admin)}.${signature}`,
    'another key': jwt.sign(admin, randomBytes(32).toString('hex')),
  };
}

interface Side { issued: string; claims: Record<string, unknown>; real: FireResult; forged: Record<string, FireResult> }

async function exercise(url: string, forged: Record<string, string> | undefined): Promise<Side & { tokens: Record<string, string> }> {
  const login = await request(url, { path: '/login', method: 'POST', body: LOGIN });
  const issued = (login.json as { token?: string } | undefined)?.token ?? '';
  const claims = (jwt.decode(issued) ?? {}) as Record<string, unknown>;
  const me = (token: string) => request(url, { path: '/me', headers: { authorization: `Bearer ${token}` } });
  const tokens = forged ?? forgeries(issued);
  const out: Record<string, FireResult> = {};
  for (const [name, token] of Object.entries(tokens)) out[name] = await me(token);
  return { issued, claims, real: await me(issued), forged: out, tokens };
}

async function prove(label: string, fixed: FixedSource, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
  let before!: Side & { tokens: Record<string, string> };
  let after!: Side & { tokens: Record<string, string> };
  for (const side of ['before', 'after'] as const) {
    const served = await serve(side === 'before' ? fixed.before : fixed.after);
    try {
      // The same forged tokens go to both sides.
      if (side === 'before') before = await exercise(served.url, undefined);
      else after = await exercise(served.url, before.tokens);
    } finally {
      await served.close();
    }
  }
  const checks = new Checks();
  checks.expect(!!before.issued && before.real.status === 200, `before the fix: the issued token is not accepted (${before.real.status})`);
  for (const [name, r] of Object.entries(before.forged)) {
    checks.expect(r.status === 200 && (r.json as { role?: string }).role === 'admin', `before the fix: the ${name} token was expected to pass as admin, got ${r.status}`);
  }
  checks.expect(before.claims.exp === undefined, `before the fix: the issued token already has exp`);
  checks.expect(!!after.issued && after.real.status === 200, `after the fix: the issued token is not accepted (${after.real.status} ${after.real.body})`);
  checks.same(after.real.json, before.real.json, 'GET /me with the issued token');
  for (const [name, r] of Object.entries(after.forged)) checks.expect(r.status === 401, `after the fix: the ${name} token got ${r.status}, expected 401`);
  const exp = Number(after.claims.exp);
  const iat = Number(after.claims.iat ?? Math.floor(Date.now() / 1000));
  checks.expect(Number.isFinite(exp) && Math.abs(exp - iat - 3600) <= 5, `after the fix: the issued token's exp is ${after.claims.exp}, expected one hour after issue`);
  const statuses = (s: Side) => Object.entries(s.forged).map(([n, r]) => `${n} ${r.status}`).join(', ');
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `fails: GET /me accepts forged tokens as role admin (${statuses(before)}); issued tokens have no exp`,
    afterFix: checks.ok
      ? `passes: forged tokens rejected (${statuses(after)}); the issued token still answers 200 with the same body and carries exp = issue + 3600 s`
      : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

describe('jwt-misuse fixes against forged tokens over real HTTP', function () {
  this.timeout(60_000);

  it('test/systems/apps/jwt-misuse/api.js (Express, jsonwebtoken decode → verify, expiresIn)', async function () {
    const secret = randomBytes(32).toString('hex');
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/jwt-misuse/api.js'));
    try {
      await prove('Express, jsonwebtoken (decode → verify, expiresIn)', fixed, (source) => serveModule(source, { env: { JWT_SECRET: secret } }));
    } finally {
      fixed.cleanup();
    }
  });

  describe('Flask: test/systems/apps/jwt-misuse/api_flask.py', function () {
    const label = 'Flask, PyJWT (verify_signature off → key and algorithms, exp claim)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask', 'jwt'); });

    it('forged tokens are rejected after the fix', async function () {
      const secret = randomBytes(32).toString('hex');
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/jwt-misuse/api_flask.py'));
      try {
        await prove(label, fixed, (source) => servePython(source, { env: { JWT_SECRET: secret } }));
      } finally {
        fixed.cleanup();
      }
    });
  });
});
