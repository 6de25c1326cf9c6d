/**
 * Proves the queue-claim-race quick fix ("Claim with SKIP LOCKED") against PostgreSQL: four
 * workers, each with its own connection, drain 200 pending jobs through the claim step. Before
 * the fix some job is claimed by two workers (the Stripe charge that ran twice); after it every
 * job is claimed exactly once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture } from './fixes';
import { Checks, pgExec, postgresForSuite, postgresName } from './suite';
import { pythonReady, runPythonDriver } from './python';

registerReportWriter();

const RULE = 'queue-claim-race';
const WORKERS = 4;
const JOBS = 200;

interface Drain {
  /** Claims per job id. */
  claims: Map<number, number>;
  ms: number;
}

type ClaimModule = { claimNextJob(pool: Pool): Promise<{ id: number } | null> };

/** Runs WORKERS workers over the jobs table until each finds nothing left to claim. */
async function drain(mod: ClaimModule, db: string): Promise<Drain> {
  const claims = new Map<number, number>();
  const pools = Array.from({ length: WORKERS }, () => new Pool({ connectionString: db, max: 1 }));
  const t0 = Date.now();
  try {
    await Promise.all(pools.map(async (pool) => {
      for (;;) {
        const job = await mod.claimNextJob(pool);
        if (!job) return;
        claims.set(job.id, (claims.get(job.id) ?? 0) + 1);
        // The job's work: short, as a real one is compared with the claim's round trips.
        await new Promise((r) => setImmediate(r));
      }
    }));
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
  return { claims, ms: Date.now() - t0 };
}

function describeDrain(d: Drain): string {
  const twice = [...d.claims.values()].filter((n) => n > 1).length;
  const extra = [...d.claims.values()].reduce((s, n) => s + n - 1, 0);
  return `${d.claims.size}/${JOBS} jobs claimed, ${twice} claimed by more than one worker (${extra} duplicate runs), ${d.ms} ms`;
}

function load(dir: string, name: string, source: string): ClaimModule {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  delete require.cache[require.resolve(file)];
  return require(file) as ClaimModule;
}

describe('queue-claim-race fix with 4 concurrent workers over 200 jobs', function () {
  this.timeout(120_000);
  const server = postgresForSuite();

  it('test/systems/apps/queue-claim-race/claim-pg.js: SELECT the oldest pending job, then UPDATE it running', async function () {
    const fixed = await applyRuleFix(RULE, 'worker.js', fixture('test/systems/apps/queue-claim-race/claim-pg.js'));
    try {
      console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
      const pg = server();
      const db = await pg.createDatabase('queue');
      const results: Partial<Record<'before' | 'after', Drain>> = {};
      for (const side of ['before', 'after'] as const) {
        await pgExec(db, `DROP TABLE IF EXISTS jobs; CREATE TABLE jobs (id serial PRIMARY KEY, payload text NOT NULL, status text NOT NULL DEFAULT 'pending');
          INSERT INTO jobs (payload) SELECT 'charge ' || g FROM generate_series(1, ${JOBS}) g;`);
        results[side] = await drain(load(fixed.workspace, `${side}.js`, side === 'before' ? fixed.before : fixed.after), db);
        console.log(`      ${side}: ${describeDrain(results[side]!)}`);
      }
      const before = results.before!;
      const after = results.after!;
      const checks = new Checks();
      checks.expect([...before.claims.values()].some((n) => n > 1), `no job was claimed twice before the fix: ${describeDrain(before)}`);
      checks.expect(after.claims.size === JOBS && [...after.claims.values()].every((n) => n === 1), `the fixed claim did not give each job to exactly one worker: ${describeDrain(after)}`);
      fixReport.record({
        rule: RULE,
        dialectOrFramework: `${postgresName(pg)} / pg, ${WORKERS} workers`,
        beforeFix: `fails: ${describeDrain(before)}`,
        afterFix: checks.ok ? `passes: ${describeDrain(after)}` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('queue-claim-race');
    } finally {
      fixed.cleanup();
    }
  });

  it('test/systems/apps/queue-claim-race/claim_psycopg.py: the same claim over psycopg2, 4 threads with a connection each', async function () {
    const label = `${postgresName(server())} / psycopg2, ${WORKERS} workers`;
    const why = await pythonReady('psycopg2');
    if (why) {
      fixReport.recordNotRun(RULE, label, why);
      this.skip();
    }
    const fixed = await applyRuleFix(RULE, 'worker.py', fixture('test/systems/apps/queue-claim-race/claim_psycopg.py'));
    try {
      console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
      const db = await server().createDatabase('queue_py');
      const results: Partial<Record<'before' | 'after', Drain>> = {};
      for (const side of ['before', 'after'] as const) {
        await pgExec(db, `DROP TABLE IF EXISTS jobs; CREATE TABLE jobs (id serial PRIMARY KEY, payload text NOT NULL, status text NOT NULL DEFAULT 'pending');
          INSERT INTO jobs (payload) SELECT 'charge ' || g FROM generate_series(1, ${JOBS}) g;`);
        const file = path.join(fixed.workspace, `${side}.py`);
        fs.writeFileSync(file, side === 'before' ? fixed.before : fixed.after);
        const r = await runPythonDriver(file, 'claim', db, 60_000);
        if (r.timedOut || !r.stdout.trim()) throw new Error(`the ${side} workers did not finish: ${r.stderr.slice(-500)}`);
        const counts = JSON.parse(r.stdout) as Record<string, number>;
        results[side] = { claims: new Map(Object.entries(counts).map(([k, v]) => [Number(k), v])), ms: r.ms };
        console.log(`      ${side}: ${describeDrain(results[side]!)}`);
      }
      const before = results.before!;
      const after = results.after!;
      const checks = new Checks();
      checks.expect([...before.claims.values()].some((n) => n > 1), `no job was claimed twice before the fix: ${describeDrain(before)}`);
      checks.expect(after.claims.size === JOBS && [...after.claims.values()].every((n) => n === 1), `the fixed claim did not give each job to exactly one worker: ${describeDrain(after)}`);
      fixReport.record({ rule: RULE, dialectOrFramework: label, beforeFix: `fails: ${describeDrain(before)}`, afterFix: checks.ok ? `passes: ${describeDrain(after)}` : `FAILS: ${checks.failures.join('; ')}` });
      checks.assertAll('queue-claim-race (psycopg2)');
    } finally {
      fixed.cleanup();
    }
  });
});
