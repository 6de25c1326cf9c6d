/**
 * Proves the unbounded-concurrency quick fix ("Process in batches"): a job reads 200 contact rows
 * from PostgreSQL and PUTs each to a CRM, a local HTTP server on loopback that answers after a
 * short delay and counts the requests in flight. Unfixed, all 200 are in flight at once; after the
 * engine's fix, at most the batch size (10), with the same statuses in the same order. The same
 * holds for Python's asyncio.gather over the rows of a SQLite table.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { loadModule } from './load-modules';
import { Checks, pgExec, postgresName, postgresForSuite } from './suite';
import { PYTHON, pythonMissing } from './python';

registerReportWriter();

const RULE = 'unbounded-concurrency';
const ROWS = 200;
const BATCH = 10;
/** How long the CRM takes per request: long enough for every unbatched request to be sent before the first answer. */
const HOLD_MS = 100;

interface Crm { url: string; peak(): number; total(): number; reset(): void; close(): Promise<void> }

/** A CRM stand-in: answers every PUT after HOLD_MS (404 for odd ids) and records the peak of requests in flight. */
async function startCrm(): Promise<Crm> {
  let inFlight = 0;
  let peak = 0;
  let total = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    total++;
    peak = Math.max(peak, inFlight);
    req.resume();
    setTimeout(() => {
      inFlight--;
      const id = Number(/\/contacts\/(\d+)/.exec(req.url ?? '')?.[1]);
      res.writeHead(id % 2 ? 404 : 200).end();
    }, HOLD_MS);
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    peak: () => peak,
    total: () => total,
    reset: () => { peak = 0; total = 0; },
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

describe('unbounded-concurrency fix: requests in flight at once', function () {
  this.timeout(60_000);
  const server = postgresForSuite();

  it(`PostgreSQL rows → fetch PUT: ${ROWS} in flight before, at most ${BATCH} after`, async function () {
    const pg = server();
    const db = `${pg.connectionString}`;
    await pgExec(db, `DROP TABLE IF EXISTS contacts; CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL);
      INSERT INTO contacts SELECT g, 'c' || g || '@example.com' FROM generate_series(1, ${ROWS}) g;`);
    const fixed: FixedSource = await applyRuleFix(RULE, 'jobs/sync-contacts.js', fixture('test/systems/apps/load/sync-contacts.js'));
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    const crm = await startCrm();
    const pool = new Pool({ connectionString: db, max: 2 });
    try {
      type Mod = { syncContacts(pool: Pool, url: string): Promise<number[]> };
      const run = async (source: string, name: string) => {
        crm.reset();
        const t0 = Date.now();
        const statuses = await loadModule<Mod>(source, name).syncContacts(pool, crm.url);
        return { statuses, peak: crm.peak(), total: crm.total(), ms: Date.now() - t0 };
      };
      const before = await run(fixed.before, 'sync-before');
      const after = await run(fixed.after, 'sync-after');
      const checks = new Checks();
      checks.expect(before.peak === ROWS, `the unfixed job had ${before.peak} requests in flight at most, not ${ROWS}`);
      checks.expect(after.peak <= BATCH, `the fixed job had ${after.peak} requests in flight at once`);
      checks.expect(after.total === ROWS, `the fixed job sent ${after.total} requests`);
      checks.same(after.statuses, before.statuses, 'the fixed job returned other statuses');
      const describe = (s: typeof before) => `${s.total} PUTs, peak ${s.peak} in flight at once, ${s.ms} ms`;
      fixReport.record({
        rule: RULE,
        dialectOrFramework: `${postgresName(pg)} rows / fetch to a local HTTP server (Node ${process.version})`,
        beforeFix: `fails: ${describe(before)} (one per row, all at once)`,
        afterFix: checks.ok ? `passes: ${describe(after)}, the same ${ROWS} statuses in the same order` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('unbounded-concurrency');
    } finally {
      await pool.end();
      await crm.close();
      fixed.cleanup();
    }
  });

  it(`Python asyncio.gather over SQLite rows: ${ROWS} in flight before, at most ${BATCH} after`, async function () {
    const label = 'Python asyncio.gather / sqlite3 rows to a local HTTP server';
    const missing = pythonMissing('asyncio', 'sqlite3');
    if (missing) {
      fixReport.recordNotRun(RULE, label, missing);
      this.skip();
    }
    const fixed: FixedSource = await applyRuleFix(RULE, 'jobs/sync_contacts.py', fixture('test/systems/apps/load/sync_contacts.py'));
    console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
    const dbPath = path.join(fixed.workspace, 'contacts.db');
    const db = new Database(dbPath);
    db.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY)');
    const insert = db.prepare('INSERT INTO contacts (id) VALUES (?)');
    db.transaction(() => { for (let i = 1; i <= ROWS; i++) insert.run(i); })();
    db.close();
    const crm = await startCrm();
    try {
      const { port } = new URL(crm.url);
      const run = async (source: string, name: string) => {
        const file = path.join(fixed.workspace, `${name}.py`);
        fs.writeFileSync(file, source);
        crm.reset();
        const t0 = Date.now();
        const out = await new Promise<string>((resolve, reject) => execFile(PYTHON, [file, dbPath, '127.0.0.1', port], (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout))));
        return { statuses: JSON.parse(out) as number[], peak: crm.peak(), total: crm.total(), ms: Date.now() - t0 };
      };
      const before = await run(fixed.before, 'sync_before');
      const after = await run(fixed.after, 'sync_after');
      const checks = new Checks();
      checks.expect(before.peak === ROWS, `the unfixed job had ${before.peak} requests in flight at most, not ${ROWS}`);
      checks.expect(after.peak <= BATCH, `the fixed job had ${after.peak} requests in flight at once`);
      checks.expect(after.total === ROWS, `the fixed job sent ${after.total} requests`);
      checks.same(after.statuses, before.statuses, 'the fixed job returned other statuses');
      const text = (s: typeof before) => `${s.total} PUTs, peak ${s.peak} in flight at once, ${s.ms} ms`;
      fixReport.record({
        rule: RULE,
        dialectOrFramework: label,
        beforeFix: `fails: ${text(before)} (one per row, all at once)`,
        afterFix: checks.ok ? `passes: ${text(after)}, the same ${ROWS} statuses in the same order` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('unbounded-concurrency Python');
    } finally {
      await crm.close();
      fixed.cleanup();
    }
  });
});
