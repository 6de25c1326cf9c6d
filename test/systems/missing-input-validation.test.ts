/**
 * Proves the missing-input-validation quick fix ("Pick allowed fields") against PostgreSQL
 * through Sequelize behind Express: a sign-up body carrying `isAdmin: true` stores an
 * administrator before the fix; after it the same body stores an ordinary user (the column keeps
 * its default), and an ordinary sign-up stores the same row on both sides.
 */
import { serveModule, request } from './http';
import { pythonReady, servePython } from './python';
import type { FixedSource } from './fixes';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture } from './fixes';
import { endTrackedClients } from './db-tracker';
import { Checks, pgExec, postgresForSuite, postgresName } from './suite';

registerReportWriter();

const RULE = 'missing-input-validation';
const TABLE = 'DROP TABLE IF EXISTS users; CREATE TABLE users (id SERIAL PRIMARY KEY, email TEXT NOT NULL, password TEXT NOT NULL, "isAdmin" BOOLEAN NOT NULL DEFAULT false)';

/** Serves both sides against a fresh table, signs up with and without isAdmin, and records the verdict. */
async function prove(label: string, fixed: FixedSource, db: string, serve: (source: string) => Promise<{ url: string; close(): Promise<void> }>): Promise<void> {
  try {
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    const rows = {} as Record<'before' | 'after', { statuses: number[]; users: Record<string, unknown>[] }>;
    for (const side of ['before', 'after'] as const) {
      await pgExec(db, TABLE);
      const served = await serve(side === 'before' ? fixed.before : fixed.after);
      const statuses: number[] = [];
      try {
        const signup = (body: unknown) => request(served.url, { path: '/signup', method: 'POST', body });
        statuses.push((await signup({ email: 'eve@example.com', password: 'pw-eve-123', isAdmin: true })).status);
        statuses.push((await signup({ email: 'bob@example.com', password: 'pw-bob-123' })).status);
      } finally {
        await served.close();
      }
      rows[side] = { statuses, users: await pgExec(db, 'SELECT email, password, "isAdmin" FROM users ORDER BY id') };
    }
    const admin = (side: 'before' | 'after', email: string) => rows[side].users.find((u) => u.email === email)?.isAdmin;
    const checks = new Checks();
    checks.expect(rows.before.statuses.every((s) => s === 201) && rows.after.statuses.every((s) => s === 201), `sign-ups answered ${rows.before.statuses} before and ${rows.after.statuses} after, not 201`);
    checks.expect(admin('before', 'eve@example.com') === true, `before the fix eve's isAdmin is ${admin('before', 'eve@example.com')}, not true`);
    checks.expect(admin('after', 'eve@example.com') === false, `after the fix eve's isAdmin is ${admin('after', 'eve@example.com')}, not false`);
    checks.same(rows.after.users.map((u) => [u.email, u.password]), rows.before.users.map((u) => [u.email, u.password]), 'the stored e-mails and passwords');
    checks.expect(admin('after', 'bob@example.com') === false && admin('before', 'bob@example.com') === false, 'an ordinary sign-up stored an administrator');
    fixReport.record({
      rule: RULE,
      dialectOrFramework: label,
      beforeFix: `fails: a sign-up body with isAdmin: true stored isAdmin = ${admin('before', 'eve@example.com')}`,
      afterFix: checks.ok ? `passes: the same body stored isAdmin = ${admin('after', 'eve@example.com')} (ignored); e-mail and password stored as before` : `FAILS: ${checks.failures.join('; ')}`,
    });
    checks.assertAll(label);
  } finally {
    fixed.cleanup();
  }
}

describe('missing-input-validation fix against PostgreSQL', function () {
  this.timeout(120_000);
  const server = postgresForSuite();
  let db = '';
  before(async () => (db = await server().createDatabase('mass_assign')));

  it('test/systems/apps/missing-input-validation/signup-sequelize.js (Sequelize, Express): isAdmin in the body', async function () {
    const fixed = await applyRuleFix(RULE, 'server.js', fixture('test/systems/apps/missing-input-validation/signup-sequelize.js'), {
      workspaceFiles: { 'package.json': JSON.stringify({ dependencies: { express: '4.21.2', sequelize: '6.37.8', pg: '8.23.1' } }) },
    });
    await prove(`${postgresName(server())} / Sequelize User.create, Express`, fixed, db, async (s) => {
      const served = await serveModule(s, { exportName: 'app', env: { DATABASE_URL: db } });
      return {
        url: served.url,
        close: async () => {
          await (served.module as { sequelize?: { close(): Promise<void> } }).sequelize?.close().catch(() => undefined);
          await served.close();
          await endTrackedClients();
        },
      };
    });
  });

  describe('Flask: test/systems/apps/missing-input-validation/signup_sqlalchemy.py', function () {
    const label = () => `${postgresName(server())} / SQLAlchemy User(**request.json), Flask`;
    before(async function () {
      this.timeout(20 * 60_000);
      const why = await pythonReady('flask', 'sqlalchemy', 'psycopg2');
      if (why) {
        fixReport.recordNotRun(RULE, 'PostgreSQL / SQLAlchemy User(**request.json), Flask', why);
        this.skip();
      }
    });

    it('User(**request.json) keeps the fields the view reads', async function () {
      const fixed = await applyRuleFix(RULE, 'app.py', fixture('test/systems/apps/missing-input-validation/signup_sqlalchemy.py'));
      await prove(label(), fixed, db, (s) => servePython(s, { env: { DATABASE_URL: db } }));
    });
  });
});
