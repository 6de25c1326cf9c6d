/**
 * Proves the fixes of the schema-aware rules against a real PostgreSQL, with the schema the rules
 * read applied to it:
 * - missing-index ("Add index"): the migration the fix writes, in the workspace's migrations
 *   folder, turns the app's query from a sequential scan of 100,000 rows into an index scan
 *   (EXPLAIN of the very query the app sends, before and after the migration runs);
 * - incomplete-deletion ("Delete dependent rows in one transaction"): the unfixed deletion fails
 *   on the foreign key and the account's rows stay; the fixed one leaves no row referencing the
 *   user, and a failure at its last statement leaves every row in place (one transaction).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, type FixedSource } from './fixes';
import { loadModule } from './load-modules';
import { Checks, pgExec, postgresName, postgresForSuite } from './suite';

registerReportWriter();

const APP = 'test/systems/apps/workspace-schema';
const ROWS = 100_000;
const SCHEMA = () => fixture(`${APP}/001_init.sql`);

/** A pool whose queries are answered with their plan: EXPLAIN of exactly what the app sends. */
function explaining(pool: Pool, plans: unknown[]) {
  return { query: async (sql: string, values?: unknown[]) => { const r = await pool.query(`EXPLAIN (FORMAT JSON) ${sql}`, values); plans.push(r.rows[0]['QUERY PLAN'][0].Plan); return { rows: [] }; } };
}
const scanOf = (plan: { 'Node Type': string; Plans?: unknown[] }): string => {
  const types: string[] = [];
  const walk = (p: { 'Node Type': string; 'Index Name'?: string; Plans?: unknown[] }) => { types.push(p['Index Name'] ? `${p['Node Type']} using ${p['Index Name']}` : p['Node Type']); for (const c of (p.Plans ?? []) as typeof p[]) walk(c); };
  walk(plan);
  return types.join(' > ');
};

describe('schema-aware fixes against PostgreSQL', function () {
  this.timeout(120_000);
  const server = postgresForSuite();

  it(`missing-index: sequential scan of ${ROWS} rows before, index scan after the fix's migration`, async function () {
    const pg = server();
    const db = await pg.createDatabase('missing_index');
    await pgExec(db, SCHEMA());
    await pgExec(db, `INSERT INTO orders (customer_id, status, total_cents)
      SELECT g % 5000, CASE WHEN g % 10000 = 0 THEN 'pending' ELSE 'shipped' END, g % 900 FROM generate_series(1, ${ROWS}) g; ANALYZE orders;`);
    const fixed: FixedSource = await applyRuleFix('missing-index', 'src/orders.js', fixture(`${APP}/orders.js`), {
      workspaceFacts: true,
      workspaceFiles: { 'package.json': '{ "name": "shop" }\n', 'db/migrations/001_init.sql': SCHEMA() },
    });
    const pool = new Pool({ connectionString: db, max: 2 });
    try {
      const migration = fixed.written.find((f) => f.startsWith(path.join('db', 'migrations')));
      console.log(`      fix wrote ${fixed.written.join(', ')}:\n${(migration ? fixed.workspaceFiles[migration] : '').trimEnd().split('\n').map((l) => `        ${l}`).join('\n')}`);
      const app = loadModule<{ pendingOrders(pool: unknown): Promise<unknown> }>(fixed.after, 'orders-app');
      const plans: { 'Node Type': string; 'Plan Rows': number }[] = [];
      await app.pendingOrders(explaining(pool, plans));
      if (migration) await pgExec(db, fs.readFileSync(path.join(fixed.workspace, migration), 'utf8'));
      await pgExec(db, 'ANALYZE orders');
      await app.pendingOrders(explaining(pool, plans));
      const [before, after] = plans.map(scanOf);
      const checks = new Checks();
      checks.expect(!!migration && /^db\/migrations\/002_add_orders_status_idx\.sql$/.test(migration.replace(/\\/g, '/')), `the fix wrote ${fixed.written.join(', ') || 'nothing'}, not the next migration of db/migrations`);
      checks.expect(fixed.after === fixed.before, 'the fix changed the application code');
      checks.expect(/^Seq Scan/.test(before), `before the migration the plan was ${before}`);
      checks.expect(/Index Scan using orders_status_idx|Bitmap Index Scan using orders_status_idx/.test(after), `after the migration the plan was ${after}`);
      fixReport.record({
        rule: 'missing-index',
        dialectOrFramework: `${postgresName(pg)} / pg, SQL migration`,
        beforeFix: `fails: EXPLAIN of the app's query on ${ROWS} orders: ${before}`,
        afterFix: checks.ok ? `passes: after the fix's migration ${migration} ran: ${after}` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('missing-index');
    } finally {
      await pool.end();
      fixed.cleanup();
    }
  });

  it('incomplete-deletion: rows left behind before; none after, and nothing deleted when the last step fails', async function () {
    const pg = server();
    const db = await pg.createDatabase('incomplete_deletion');
    await pgExec(db, SCHEMA());
    const seed = `TRUNCATE users, purchases, purchase_items, sessions RESTART IDENTITY CASCADE;
      INSERT INTO users (email) VALUES ('ann@example.com'), ('bob@example.com');
      INSERT INTO purchases (user_id, total_cents) VALUES (1, 100), (1, 250), (2, 75);
      INSERT INTO purchase_items (purchase_id, sku) VALUES (1, 'a'), (1, 'b'), (2, 'c'), (3, 'd');
      INSERT INTO sessions (user_id) VALUES (1), (1), (2);`;
    const fixed: FixedSource = await applyRuleFix('incomplete-deletion', 'src/account.js', fixture(`${APP}/account.js`), {
      workspaceFacts: true,
      workspaceFiles: { 'package.json': '{ "name": "shop" }\n', 'db/migrations/001_init.sql': SCHEMA() },
    });
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    const left = async (userId: number) => {
      const [r] = await pgExec(db, `SELECT (SELECT count(*) FROM users WHERE id = $1)::int AS users, (SELECT count(*) FROM purchases WHERE user_id = $1)::int AS purchases,
        (SELECT count(*) FROM purchase_items WHERE purchase_id IN (SELECT id FROM purchases WHERE user_id = $1))::int AS items, (SELECT count(*) FROM sessions WHERE user_id = $1)::int AS sessions`, [userId]);
      return r as { users: number; purchases: number; items: number; sessions: number };
    };
    const pool = new Pool({ connectionString: db, max: 2 });
    try {
      const run = async (source: string, name: string) => {
        try { await loadModule<{ deleteAccount(pool: Pool, id: number): Promise<void> }>(source, name).deleteAccount(pool, 1); return 'ok'; } catch (e) { return `error ${(e as { code?: string }).code ?? ''} ${(e as Error).message}`; }
      };
      await pgExec(db, seed);
      const beforeRun = await run(fixed.before, 'account-before');
      const beforeLeft = await left(1);
      await pgExec(db, seed);
      const afterRun = await run(fixed.after, 'account-after');
      const afterLeft = await left(1);
      const other = await left(2);
      // A failure at the last statement (the user row): a trigger refuses it.
      await pgExec(db, `${seed}
        CREATE OR REPLACE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION refuse();`);
      const failRun = await run(fixed.after, 'account-after-fail');
      const failLeft = await left(1);
      await pgExec(db, 'DROP TRIGGER refuse ON users');
      const checks = new Checks();
      checks.expect(beforeRun !== 'ok' || beforeLeft.purchases > 0, `the unfixed deletion ${beforeRun} and left ${JSON.stringify(beforeLeft)}`);
      checks.expect(afterRun === 'ok', `the fixed deletion ended with ${afterRun}`);
      checks.same(afterLeft, { users: 0, purchases: 0, items: 0, sessions: 0 }, 'rows of the deleted user are left');
      checks.same(other, { users: 1, purchases: 1, items: 1, sessions: 1 }, 'another user\'s rows changed');
      checks.expect(failRun.startsWith('error') && /disk full/.test(failRun), `the failing deletion ended with ${failRun}`);
      checks.same(failLeft, { users: 1, purchases: 2, items: 3, sessions: 2 }, 'a deletion that failed at its last statement deleted rows');
      fixReport.record({
        rule: 'incomplete-deletion',
        dialectOrFramework: `${postgresName(pg)} / pg, foreign keys without ON DELETE CASCADE`,
        beforeFix: `fails: DELETE FROM users ${beforeRun === 'ok' ? 'succeeded' : `raised ${beforeRun.replace(/^error /, '').split(' ')[0]} (${beforeRun.replace(/^error \S* /, '').slice(0, 80)})`}; left for the user: ${JSON.stringify(beforeLeft)}`,
        afterFix: checks.ok ? `passes: no row references the deleted user (${JSON.stringify(afterLeft)}), the other user's rows untouched; a failure at the last statement rolled back and left ${JSON.stringify(failLeft)}` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('incomplete-deletion');
    } finally {
      await pool.end();
      fixed.cleanup();
    }
  });
});
