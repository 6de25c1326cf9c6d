/**
 * Proves the lost-update quick fix ("Make the update atomic") against PostgreSQL: 50 concurrent
 * withdrawals of 10 from one account. Before the fix withdrawals read the same balance and
 * overwrite each other (the balance ends too high: money withdrawn is never taken off); after it
 * the balance is exact, and an account that cannot cover every withdrawal stops at zero.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture } from './fixes';
import { Checks, pgExec, postgresForSuite, postgresName } from './suite';
import { pythonReady, runPythonDriver } from './python';

registerReportWriter();

const RULE = 'lost-update';
const WITHDRAWALS = 50;
const AMOUNT = 10;

type Wallet = { withdraw(pool: Pool, accountId: number, amount: number): Promise<void> };

interface Run { final: number; min: number; ok: number; refused: number }

/** Fires WITHDRAWALS withdrawals at once from an account holding `start`, sampling the balance meanwhile. */
async function storm(mod: Wallet, db: string, start: number): Promise<Run> {
  await pgExec(db, `DROP TABLE IF EXISTS accounts; CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO accounts VALUES (1, ${start});`);
  const pool = new Pool({ connectionString: db, max: 20 });
  let min = start;
  let sampling = true;
  try {
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await pool.query('SELECT balance FROM accounts WHERE id = 1');
        min = Math.min(min, rows[0].balance);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const results = await Promise.allSettled(Array.from({ length: WITHDRAWALS }, () => mod.withdraw(pool, 1, AMOUNT)));
    sampling = false;
    await sampler;
    const { rows } = await pool.query('SELECT balance FROM accounts WHERE id = 1');
    const final = rows[0].balance as number;
    return { final, min: Math.min(min, final), ok: results.filter((r) => r.status === 'fulfilled').length, refused: results.filter((r) => r.status === 'rejected').length };
  } finally {
    sampling = false;
    await pool.end();
  }
}

function load(dir: string, name: string, source: string): Wallet {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  delete require.cache[require.resolve(file)];
  return require(file) as Wallet;
}

const describeRun = (r: Run, start: number) => `from ${start}: final balance ${r.final} (exact: ${Math.max(0, start - WITHDRAWALS * AMOUNT)}), lowest seen ${r.min}, ${r.ok} calls returned, ${r.refused} refused`;

describe('lost-update fix under 50 concurrent decrements', function () {
  this.timeout(120_000);
  const server = postgresForSuite();

  it('test/systems/apps/lost-update/wallet-pg.js: SELECT balance, subtract in code, UPDATE balance = $1', async function () {
    const fixed = await applyRuleFix(RULE, 'wallet.js', fixture('test/systems/apps/lost-update/wallet-pg.js'));
    try {
      console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
      const pg = server();
      const db = await pg.createDatabase('wallet');
      const before = load(fixed.workspace, 'before.js', fixed.before);
      const after = load(fixed.workspace, 'after.js', fixed.after);
      // Enough money for every withdrawal: the result must be exact.
      const covered = 1000;
      const b1 = await storm(before, db, covered);
      const a1 = await storm(after, db, covered);
      // Not enough for all of them: the balance must stop at zero, never below.
      const short = 300;
      const a2 = await storm(after, db, short);
      for (const [label, r, s] of [['before', b1, covered], ['after', a1, covered], ['after, short', a2, short]] as const) console.log(`      ${label}: ${describeRun(r, s)}`);
      const exact = covered - WITHDRAWALS * AMOUNT;
      const checks = new Checks();
      checks.expect(b1.final > exact, `no update was lost before the fix: ${describeRun(b1, covered)}`);
      checks.expect(a1.final === exact && a1.min >= exact, `the fixed withdrawals did not end at the exact balance: ${describeRun(a1, covered)}`);
      checks.expect(a2.final === 0 && a2.min >= 0, `the fixed withdrawals from a short account did not stop at zero: ${describeRun(a2, short)}`);
      fixReport.record({
        rule: RULE,
        dialectOrFramework: `${postgresName(pg)} / pg, ${WITHDRAWALS} concurrent withdrawals of ${AMOUNT}`,
        beforeFix: `fails: ${describeRun(b1, covered)}: ${Math.round((b1.final - exact) / AMOUNT)} withdrawals lost`,
        afterFix: checks.ok ? `passes: ${describeRun(a1, covered)}; ${describeRun(a2, short)} (the guard refused ${WITHDRAWALS - short / AMOUNT} of them: the code returns without checking the row count, as the docs warn)` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('lost-update');
    } finally {
      fixed.cleanup();
    }
  });

  it('test/systems/apps/lost-update/wallet_psycopg.py: the same withdrawal over psycopg2, 50 threads with a connection each', async function () {
    const label = `${postgresName(server())} / psycopg2, ${WITHDRAWALS} concurrent withdrawals of ${AMOUNT}`;
    const why = await pythonReady('psycopg2');
    if (why) {
      fixReport.recordNotRun(RULE, label, why);
      this.skip();
    }
    const fixed = await applyRuleFix(RULE, 'wallet.py', fixture('test/systems/apps/lost-update/wallet_psycopg.py'));
    try {
      console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
      const db = await server().createDatabase('wallet_py');
      const runSide = async (source: string, name: string, start: number): Promise<Run> => {
        await pgExec(db, `DROP TABLE IF EXISTS accounts; CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO accounts VALUES (1, ${start});`);
        const file = path.join(fixed.workspace, name);
        fs.writeFileSync(file, source);
        const r = await runPythonDriver(file, 'withdraw', db, 60_000);
        if (r.timedOut || !r.stdout.trim()) throw new Error(`the ${name} withdrawals did not finish: ${r.stderr.slice(-500)}`);
        const counts = JSON.parse(r.stdout) as { ok: number; refused: number };
        const [{ balance }] = await pgExec(db, 'SELECT balance FROM accounts WHERE id = 1');
        // The Python driver reports counts only: the lowest balance is read after the storm.
        return { final: balance as number, min: balance as number, ok: counts.ok, refused: counts.refused };
      };
      const covered = 1000;
      const short = 300;
      const b1 = await runSide(fixed.before, 'before.py', covered);
      const a1 = await runSide(fixed.after, 'after.py', covered);
      const a2 = await runSide(fixed.after, 'after_short.py', short);
      for (const [l, r, st] of [['before', b1, covered], ['after', a1, covered], ['after, short', a2, short]] as const) console.log(`      ${l}: ${describeRun(r, st)}`);
      const exact = covered - WITHDRAWALS * AMOUNT;
      const checks = new Checks();
      checks.expect(b1.final > exact, `no update was lost before the fix: ${describeRun(b1, covered)}`);
      checks.expect(a1.final === exact, `the fixed withdrawals did not end at the exact balance: ${describeRun(a1, covered)}`);
      checks.expect(a2.final === 0, `the fixed withdrawals from a short account did not stop at zero: ${describeRun(a2, short)}`);
      fixReport.record({
        rule: RULE,
        dialectOrFramework: label,
        beforeFix: `fails: ${describeRun(b1, covered)}: ${Math.round((b1.final - exact) / AMOUNT)} withdrawals lost`,
        afterFix: checks.ok ? `passes: ${describeRun(a1, covered)}; ${describeRun(a2, short)}` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('lost-update (psycopg2)');
    } finally {
      fixed.cleanup();
    }
  });
});
