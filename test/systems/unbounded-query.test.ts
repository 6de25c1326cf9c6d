/**
 * Proves the unbounded-query quick fix ("Add a LIMIT"): an admin route reads the users table of a
 * real PostgreSQL with 1,000 rows. Unfixed, one request returns every row; after the engine's fix,
 * one page (the rule's default of 100), the first rows of the same order. The same for a Flask
 * route over Python's sqlite3, called through Flask's test client.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { PYTHON, pythonMissing } from './python';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { loadModule } from './load-modules';
import { Checks, pgExec, postgresName, postgresForSuite } from './suite';

registerReportWriter();

const RULE = 'unbounded-query';
const ROWS = 1000;
const PAGE = 100;

type Handler = (req: unknown, res: { json(v: unknown): void }) => Promise<void>;

/** Registers the module's routes on a stand-in app and answers one GET through the handler. */
async function get(source: string, name: string, pool: Pool, route: string): Promise<{ id: number; email: string }[]> {
  const routes = new Map<string, Handler>();
  const app = { get: (p: string, h: Handler) => routes.set(p, h) };
  loadModule<{ register(app: unknown, pool: Pool): void }>(source, name).register(app, pool);
  let body: unknown;
  await routes.get(route)!({ query: {} }, { json: (v) => { body = v; } });
  return body as { id: number; email: string }[];
}

describe('unbounded-query fix: rows per request', function () {
  this.timeout(60_000);
  const server = postgresForSuite();

  it(`PostgreSQL / pg: every one of ${ROWS} rows before, one page after`, async function () {
    const pg = server();
    await pgExec(pg.connectionString, `DROP TABLE IF EXISTS users; CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);
      INSERT INTO users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, ${ROWS}) g;`);
    const fixed: FixedSource = await applyRuleFix(RULE, 'routes/admin.js', fixture('test/systems/apps/load/list-users.js'));
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    const pool = new Pool({ connectionString: pg.connectionString, max: 2 });
    try {
      const before = await get(fixed.before, 'admin-before', pool, '/admin/users');
      const after = await get(fixed.after, 'admin-after', pool, '/admin/users');
      const checks = new Checks();
      checks.expect(before.length === ROWS, `the unfixed route returned ${before.length} rows`);
      checks.expect(after.length === PAGE, `the fixed route returned ${after.length} rows, not ${PAGE}`);
      checks.same(after, before.slice(0, PAGE), 'the fixed page is not the first rows of the unfixed answer');
      fixReport.record({
        rule: RULE,
        dialectOrFramework: `${postgresName(pg)} / pg, route handler`,
        beforeFix: `fails: GET /admin/users returned all ${before.length} rows of the table (${JSON.stringify(before).length} bytes) on one request`,
        afterFix: checks.ok ? `passes: one page of ${after.length} rows (${JSON.stringify(after).length} bytes), the first ${PAGE} of the same order` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('unbounded-query');
    } finally {
      await pool.end();
      fixed.cleanup();
    }
  });

  it(`Flask / sqlite3: every one of ${ROWS} rows before, one page after`, async function () {
    const label = 'Flask / Python sqlite3, route handler';
    const missing = pythonMissing('flask', 'sqlite3');
    if (missing) {
      fixReport.recordNotRun(RULE, label, missing);
      this.skip();
    }
    const fixed: FixedSource = await applyRuleFix(RULE, 'app/admin_users.py', fixture('test/systems/apps/load/admin_users.py'));
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    try {
      const dbPath = path.join(fixed.workspace, 'users.db');
      const db = new Database(dbPath);
      db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO users (id, email) VALUES (?, ?)');
      db.transaction(() => { for (let i = 1; i <= ROWS; i++) insert.run(i, `u${i}@example.com`); })();
      db.close();
      const get = (source: string, name: string) => {
        fs.writeFileSync(path.join(fixed.workspace, `${name}.py`), source);
        const client = `import json\nfrom ${name} import app\nprint(json.dumps(app.test_client().get("/admin/users").get_json()))\n`;
        const p = spawnSync(PYTHON, ['-c', client], { cwd: fixed.workspace, env: { ...process.env, USERS_DB: dbPath }, encoding: 'utf8' });
        if (p.status !== 0) throw new Error(p.stderr);
        return JSON.parse(p.stdout) as { id: number; email: string }[];
      };
      const before = get(fixed.before, 'admin_before');
      const after = get(fixed.after, 'admin_after');
      const checks = new Checks();
      checks.expect(before.length === ROWS, `the unfixed route returned ${before.length} rows`);
      checks.expect(after.length === PAGE, `the fixed route returned ${after.length} rows, not ${PAGE}`);
      checks.same(after, before.slice(0, PAGE), 'the fixed page is not the first rows of the unfixed answer');
      fixReport.record({
        rule: RULE,
        dialectOrFramework: label,
        beforeFix: `fails: GET /admin/users returned all ${before.length} rows of the table on one request`,
        afterFix: checks.ok ? `passes: one page of ${after.length} rows, the first ${PAGE} of the same order` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('unbounded-query Flask');
    } finally {
      fixed.cleanup();
    }
  });
});
