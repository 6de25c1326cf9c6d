/**
 * Proves the hardcoded-secret quick fix ("Move secret to environment") by running the app: before
 * the fix the signing key is in the source, so anyone who reads it can mint a session; after it
 * the app starts with the key from the environment (loaded from the `.env` the fix wrote, as
 * `node --env-file=.env` or a deployment's secret store would), still signs and verifies
 * sessions, and with the variable unset refuses to start instead of signing with `undefined`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource, parseEnvFile } from './fixes';
import { pythonMissing, servePython, skipWithoutPython } from './python';
import { Checks, show } from './suite';

registerReportWriter();

const RULE = 'hardcoded-secret';

function logFix(fixed: FixedSource): void {
  console.log(
    `      fix (wrote ${fixed.written.join(', ')}):\n` +
      changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n'),
  );
}

/** The variables of the `.env` the fix wrote, and the one it moved the secret to. */
function movedSecret(fixed: FixedSource): { name: string; value: string; env: Record<string, string> } {
  const dotenv = fixed.workspaceFiles['.env'];
  assert.ok(dotenv, `the fix wrote no .env (wrote: ${fixed.written.join(', ') || 'nothing'})`);
  const env = parseEnvFile(dotenv);
  const names = Object.keys(env);
  assert.equal(names.length, 1, `expected one variable in .env, got ${dotenv}`);
  return { name: names[0], value: env[names[0]], env };
}

/** What starting the module with `env` gives: a served app, or the error it stopped with. */
async function start<T>(serve: () => Promise<T>): Promise<{ served?: T; error?: string }> {
  try {
    return { served: await serve() };
  } catch (err) {
    // The first line for a Node module (its own error), the last for Python (the traceback's).
    const lines = (err as Error).message.trim().split('\n');
    return { error: lines.length > 1 && /Traceback|exited with/.test(lines[0]) ? lines[lines.length - 1] : lines[0] };
  }
}

/** Checks shared by every framework: the secret left the code, .env holds it, .gitignore covers .env. */
function checkFiles(checks: Checks, fixed: FixedSource, secret: { name: string; value: string }): void {
  checks.expect(!fixed.after.includes(secret.value), `the fixed source still contains the secret`);
  checks.expect(fixed.before.includes(secret.value), `the .env value ${secret.value} is not the literal that was in the source`);
  checks.expect(/^\.env$/m.test(fixed.workspaceFiles['.gitignore'] ?? ''), `.gitignore does not cover .env: ${show(fixed.workspaceFiles['.gitignore'] ?? '(none)')}`);
}

describe('hardcoded-secret fix: the app starts from the environment or not at all', function () {
  this.timeout(60_000);

  it('test/systems/apps/hardcoded-secret/auth-api.js (Express, jsonwebtoken): sign and verify with the moved key', async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/hardcoded-secret/auth-api.js'));
    try {
      logFix(fixed);
      const secret = movedSecret(fixed);
      const checks = new Checks();
      checkFiles(checks, fixed, secret);
      // What anyone who has read the repository can do: sign their own admin session.
      const forged = jwt.sign({ sub: 'attacker', role: 'admin' }, secret.value, { expiresIn: '1h' });
      const session = async (url: string) => {
        const login = await request(url, { path: '/login', body: { email: 'ada@example.com' } });
        const token = (login.json as { token?: string } | undefined)?.token ?? '';
        const me = await request(url, { path: '/me', headers: { authorization: `Bearer ${token}` } });
        const asForger = await request(url, { path: '/me', headers: { authorization: `Bearer ${forged}` } });
        return { token, me, asForger };
      };

      const before = await serveModule(fixed.before);
      const b = await session(before.url).finally(() => before.close());
      checks.expect(b.me.status === 200, `the original app does not sign in: ${show(b.me.body)}`);
      checks.expect(b.asForger.status === 200, `a token forged with the in-source key was refused before the fix: ${b.asForger.status}`);

      const after = await start(() => serveModule(fixed.after, { env: secret.env }));
      let a: Awaited<ReturnType<typeof session>> | undefined;
      if (after.served) a = await session(after.served.url).finally(() => after.served!.close());
      checks.expect(!after.error, `the fixed app does not start with ${secret.name} from .env: ${after.error}`);
      if (a) {
        checks.same(a.me.json, b.me.json, 'GET /me with the session from /login (after vs before)');
        let verified = false;
        try {
          verified = (jwt.verify(a.token, secret.value) as { sub?: string }).sub === 'user_42';
        } catch {
          verified = false;
        }
        checks.expect(verified, `the session the fixed app issued is not signed with ${secret.name} from .env`);
      }

      // Once the key lives in the environment it can be rotated; the forged token then stops working.
      const rotated = await start(() => serveModule(fixed.after, { env: { [secret.name]: randomBytes(32).toString('hex') } }));
      let rotatedForger = 0;
      if (rotated.served) {
        rotatedForger = (await request(rotated.served.url, { path: '/me', headers: { authorization: `Bearer ${forged}` } })).status;
        await rotated.served.close();
      }
      checks.expect(rotatedForger === 401, `with a rotated ${secret.name}, the forged token answered ${rotatedForger || rotated.error}`);

      const unset = await start(() => serveModule(fixed.after, { env: { [secret.name]: undefined } }));
      if (unset.served) await unset.served.close();
      checks.expect(!!unset.error && unset.error.includes(secret.name), `with ${secret.name} unset the fixed app ${unset.error ? `failed with "${unset.error}", which does not name it` : 'started'}`);

      fixReport.record({
        rule: RULE,
        dialectOrFramework: 'Express, jsonwebtoken (sign + verify)',
        beforeFix: `fails: the JWT key is in the source; a token anyone can forge from it ({ sub: 'attacker', role: 'admin' }) is accepted by GET /me (${b.asForger.status}), and rotating it means a commit`,
        afterFix: checks.ok
          ? `passes: starts with ${secret.name} from the .env the fix wrote (.gitignore covers .env), login → GET /me 200 with a token signed by that key; with ${secret.name} rotated the forged token gets ${rotatedForger}; with it unset the app refuses to start: "${unset.error}"`
          : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('Express, jsonwebtoken');
    } finally {
      fixed.cleanup();
    }
  });

  it('sample-app/src/middleware/requireAuth.js (Express, cookie session): verify with the moved key', async function () {
    const fixed = await applyRuleFix(RULE, 'src/middleware/requireAuth.js', fixture('sample-app/src/middleware/requireAuth.js'), {
      workspaceFiles: { 'package.json': fixture('sample-app/package.json') },
    });
    try {
      logFix(fixed);
      const secret = movedSecret(fixed);
      const checks = new Checks();
      checkFiles(checks, fixed, secret);
      const host = [
        "const express = require('express');",
        "const cookieParser = require('cookie-parser');",
        "const { requireAuth } = require('./middleware/requireAuth.js');",
        'const app = express();',
        'app.use(cookieParser());',
        "app.get('/me', requireAuth, (req, res) => res.json({ user: req.user }));",
        'module.exports = app;',
      ].join('\n');
      const cookie = (key: string) => `session=${jwt.sign({ sub: 7, email: 'ada@example.com' }, key, { expiresIn: '10m' })}`;
      const serve = (side: 'before' | 'after', env: Record<string, string | undefined>) =>
        start(() => serveModule(host, { env, files: { 'middleware/requireAuth.js': side === 'before' ? fixed.before : fixed.after } }));
      const me = async (url: string, key: string) => (await request(url, { path: '/me', headers: { cookie: cookie(key) } })).status;

      const before = await serve('before', {});
      const beforeStatus = await me(before.served!.url, secret.value);
      await before.served!.close();
      const after = await serve('after', secret.env);
      const afterStatus = after.served ? await me(after.served.url, secret.value) : 0;
      await after.served?.close();
      const unset = await serve('after', { [secret.name]: undefined });
      await unset.served?.close();
      checks.expect(beforeStatus === 200, `the original middleware refused a session signed with its own key: ${beforeStatus}`);
      checks.expect(afterStatus === 200, `the fixed middleware ${after.error ? `did not start: ${after.error}` : `answered ${afterStatus}`} for a session signed with ${secret.name}`);
      checks.expect(!!unset.error && unset.error.includes(secret.name), `with ${secret.name} unset the fixed middleware ${unset.error ? `failed with "${unset.error}"` : 'loaded'}`);
      fixReport.record({
        rule: RULE,
        dialectOrFramework: 'Express, jsonwebtoken (sample-app requireAuth.js)',
        beforeFix: `fails: the JWT key is in the source: any session signed with it is accepted (${beforeStatus})`,
        afterFix: checks.ok
          ? `passes: loads with ${secret.name} from .env and accepts a session signed with it (${afterStatus}); with it unset the module refuses to load: "${unset.error}"`
          : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('sample-app requireAuth.js');
    } finally {
      fixed.cleanup();
    }
  });

  describe('Flask: test/systems/apps/hardcoded-secret/flask_sessions.py', function () {
    const label = 'Flask (SECRET_KEY for cookie sessions)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask'); });

    it('signs sessions with the moved key and refuses to start without it', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/hardcoded-secret/flask_sessions.py'));
      try {
        logFix(fixed);
        const secret = movedSecret(fixed);
        const checks = new Checks();
        checkFiles(checks, fixed, secret);
        const signIn = async (url: string) => {
          const login = await request(url, { path: '/login', body: { email: 'ada@example.com' } });
          const cookie = (login.headers['set-cookie'] ?? '').split(';')[0];
          return request(url, { path: '/me', headers: { cookie } });
        };
        // What anyone who has read the repository can do: sign a session cookie for any user.
        const forge = spawnSync(
          'python3',
          ['-c', 'import sys; from flask import Flask; from flask.sessions import SecureCookieSessionInterface as S; a = Flask("x"); a.secret_key = sys.argv[1]; print(S().get_signing_serializer(a).dumps({"user": "admin@example.com"}))', secret.value],
          { encoding: 'utf8' },
        );
        assert.equal(forge.status, 0, forge.stderr);
        const before = await servePython(fixed.before);
        const b = await signIn(before.url);
        const forged = await request(before.url, { path: '/me', headers: { cookie: `session=${forge.stdout.trim()}` } }).finally(() => before.close());
        const after = await start(() => servePython(fixed.after, { env: secret.env }));
        const a = after.served ? await signIn(after.served.url).finally(() => after.served!.close()) : undefined;
        const unset = await start(() => servePython(fixed.after, { env: { [secret.name]: undefined } }).then(async (s) => (await s.close(), s)));
        checks.expect(b.status === 200, `the original app does not keep a session: ${show(b.body)}`);
        checks.expect(forged.status === 200, `a session forged with the in-source key was refused before the fix: ${show(forged.body)}`);
        checks.expect(a?.status === 200 && JSON.stringify(a.json) === JSON.stringify(b.json), `the fixed app ${after.error ? `did not start: ${after.error}` : `answered ${show(a?.body)}`}`);
        const unsetError = unset.error ?? '';
        checks.expect(unsetError.includes(secret.name), `with ${secret.name} unset the fixed app ${unset.error ? `failed with "${unsetError}", which does not name it` : 'started'}`);
        fixReport.record({
          rule: RULE,
          dialectOrFramework: label,
          beforeFix: `fails: SECRET_KEY is in the source; a session cookie forged with it for admin@example.com is accepted by GET /me (${forged.status} ${show(forged.json)})`,
          afterFix: checks.ok
            ? `passes: starts with ${secret.name} from the .env the fix wrote; login → GET /me ${a?.status} with the same session; with ${secret.name} unset it refuses to start: ${show(unsetError, 80)}`
            : `FAILS: ${checks.failures.join('; ')}`,
        });
        checks.assertAll(label);
      } finally {
        fixed.cleanup();
      }
    });
  });
});
