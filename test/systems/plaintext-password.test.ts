/**
 * Proves the plaintext-password quick fix ("Use bcrypt") against real systems: an Express app on
 * PostgreSQL and a Flask app on SQLite. Before the fix the stored value is the password itself;
 * after it sign-up stores a bcrypt hash ($2a$/$2b$, cost 12), login with the right password works
 * against that stored hash, and a wrong password is rejected, before and after.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request, serveModule } from './http';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { PYTHON, servePython, skipWithoutPython } from './python';
import { Checks, pgExec, postgresForSuite } from './suite';

registerReportWriter();

const RULE = 'plaintext-password';
const BCRYPT = /^\$2[aby]\$12\$[./A-Za-z0-9]{53}$/;

interface Seen { signup: number; right: number; wrong: number; stored: string }

function logFix(fixed: FixedSource): void {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
}

async function exercise(url: string, email: string, password: string, stored: () => Promise<string>): Promise<Seen> {
  const post = (path: string, body: unknown) => request(url, { path, method: 'POST', body });
  const signup = (await post('/signup', { email, password })).status;
  const right = (await post('/login', { email, password })).status;
  const wrong = (await post('/login', { email, password: password + 'x' })).status;
  return { signup, right, wrong, stored: await stored() };
}

function judge(label: string, fixed: FixedSource, password: string, before: Seen, after: Seen): void {
  const checks = new Checks();
  checks.expect(before.stored === password, `before the fix the stored value should be the password itself: ${before.stored}`);
  for (const [side, s] of [['before', before], ['after', after]] as const) {
    checks.expect(s.signup === 201, `${side} the fix: sign-up answered ${s.signup}`);
    checks.expect(s.right === 200, `${side} the fix: login with the right password answered ${s.right}`);
    checks.expect(s.wrong === 401, `${side} the fix: login with a wrong password answered ${s.wrong}`);
  }
  checks.expect(BCRYPT.test(after.stored), `after the fix the stored value is not a bcrypt hash of cost 12: ${after.stored}`);
  checks.expect(!after.stored.includes(password), 'after the fix the stored value contains the password');
  checks.expect(fixed.remaining.length === 0, `findings left after the fix: ${fixed.remaining.map((f) => f.message).join('; ')}`);
  fixReport.record({
    rule: RULE,
    dialectOrFramework: label,
    beforeFix: `fails: the password is stored as it came (stored value = the password); login right ${before.right}, wrong ${before.wrong}`,
    afterFix: checks.ok ? `passes: stored value is a bcrypt hash (${after.stored.slice(0, 7)}…, 60 characters); login with the right password ${after.right} against it, wrong password ${after.wrong}` : `FAILS: ${checks.failures.join('; ')}`,
  });
  checks.assertAll(label);
}

describe('plaintext-password fix against real logins', function () {
  this.timeout(60_000);

  describe('Express on PostgreSQL: test/systems/apps/auth-crypto/accounts.js', function () {
    const server = postgresForSuite();

    it('bcryptjs (the workspace dependency): hash on sign-up, compare on login', async function () {
      const pg = server();
      const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/auth-crypto/accounts.js'), {
        workspaceFiles: { 'package.json': '{ "dependencies": { "express": "4.21.2", "pg": "8.16.3", "bcryptjs": "3.0.3" } }' },
      });
      try {
        logFix(fixed);
        const password = `pw-${randomBytes(6).toString('hex')}`;
        const seen: Partial<Record<'before' | 'after', Seen>> = {};
        for (const side of ['before', 'after'] as const) {
          const db = await pg.createDatabase(`accounts_${side}`);
          await pgExec(db, 'CREATE TABLE accounts (id serial PRIMARY KEY, email text UNIQUE NOT NULL, password text NOT NULL)');
          const served = await serveModule(side === 'before' ? fixed.before : fixed.after, { exportName: 'app', env: { DATABASE_URL: db } });
          try {
            seen[side] = await exercise(served.url, 'ada@example.com', password, async () => String((await pgExec(db, 'SELECT password FROM accounts'))[0]?.password));
          } finally {
            await (served.module as { pool: { end(): Promise<void> } }).pool.end();
            await served.close();
          }
        }
        judge('PostgreSQL / pg, Express (bcryptjs)', fixed, password, seen.before!, seen.after!);
      } finally {
        fixed.cleanup();
      }
    });
  });

  describe('Flask on SQLite: test/systems/apps/auth-crypto/accounts.py', function () {
    const label = 'SQLite / Python sqlite3, Flask (bcrypt)';
    before(async function () { await skipWithoutPython(this, RULE, label, 'flask', 'bcrypt'); });

    it('bcrypt.hashpw on sign-up, bcrypt.checkpw on login', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/auth-crypto/accounts.py'), { workspaceFiles: { 'requirements.txt': 'flask\nbcrypt\n' } });
      try {
        logFix(fixed);
        const password = `pw-${randomBytes(6).toString('hex')}`;
        const seen: Partial<Record<'before' | 'after', Seen>> = {};
        for (const side of ['before', 'after'] as const) {
          const served = await servePython(side === 'before' ? fixed.before : fixed.after, {
            prepare: (dir) => {
              execFileSync(PYTHON, ['-c', 'import sqlite3; c = sqlite3.connect("accounts.db"); c.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT UNIQUE, password TEXT)"); c.commit()'], { cwd: dir });
            },
          });
          try {
            seen[side] = await exercise(served.url, 'ada@example.com', password, async () => String(((await request(served.url, { path: '/stored' })).json as { values: string[] }).values[0]));
          } finally {
            await served.close();
          }
        }
        judge(label, fixed, password, seen.before!, seen.after!);
      } finally {
        fixed.cleanup();
      }
    });
  });
});
