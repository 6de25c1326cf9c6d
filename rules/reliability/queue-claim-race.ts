import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { excerpt } from '../kit/frameworks/redact';
import { claimsIn, sqlText, type Claim } from './queue-claim-race.context';
import { within } from '../kit/model/ranges';
import { planClaimFix } from './queue-claim-race.fix';

const messages = {
  claim: '{where} reads waiting rows of {table} and marks them taken in a separate statement ({write}): two workers running it at once read the same row and both process it; claim with FOR UPDATE SKIP LOCKED or one atomic UPDATE ... RETURNING',
};

export default defineRule({
  id: 'queue-claim-race',
  category: 'reliability',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 362,
  triggers: /pending|queued|waiting|ready|scheduled|unprocessed|enqueued|available|todo/i,
  docs: {
    summary: 'A job or queue claim that SELECTs waiting rows and UPDATEs them in a later statement, without FOR UPDATE SKIP LOCKED or one atomic UPDATE ... RETURNING',
    why: 'Between the SELECT of a pending row and the UPDATE that marks it running, another worker runs the same SELECT and gets the same row: both process the job. In the field report behind this rule two workers picked the same job and the Stripe charge ran twice. Adding workers, the usual answer to a growing queue, makes it happen more often. The database settles it if the claim is one statement (`UPDATE jobs SET status = \'running\' WHERE id IN (SELECT id ... FOR UPDATE SKIP LOCKED) RETURNING *`) or if the SELECT locks the rows it returns and skips rows other workers hold (`FOR UPDATE SKIP LOCKED` inside a transaction). Reads that already lock (`FOR UPDATE`, `FOR SHARE`, Knex `forUpdate()`, SQLAlchemy `with_for_update()`, Django `select_for_update()`, a Prisma raw query with the lock), atomic `UPDATE ... RETURNING` claims and compare-and-set updates that repeat the status test in their WHERE (`... WHERE id = $1 AND status = \'pending\'`: only one worker\'s update matches) are not reported.',
    fix: 'Claim with SKIP LOCKED: the SELECT and the UPDATE that marks the rows taken become one statement, `UPDATE <table> SET <the same SET> WHERE id IN (SELECT id FROM <table> <the same WHERE, ORDER BY, LIMIT> FOR UPDATE SKIP LOCKED) RETURNING <the same columns>`, and the separate UPDATE is removed; the code reads the claimed rows from the result as before. Where the UPDATE sets per-row values but the claim already runs in a transaction, `FOR UPDATE SKIP LOCKED` is appended to the SELECT. ORM claims and MySQL claims outside a transaction get the advice without an automatic fix.',
    examples: {
      js: {
        bad: "import pg from 'pg';\n\nconst pool = new pg.Pool();\n\nexport async function claimNextJob() {\n  const { rows } = await pool.query(\"SELECT id, payload FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1\");\n  if (!rows[0]) return null;\n  await pool.query(\"UPDATE jobs SET status = 'running' WHERE id = $1\", [rows[0].id]);\n  return rows[0];\n}\n",
        good: "import pg from 'pg';\n\nconst pool = new pg.Pool();\n\nexport async function claimNextJob() {\n  const { rows } = await pool.query(\"UPDATE jobs SET status = 'running' WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload\");\n  return rows[0] ?? null;\n}\n",
      },
      py: {
        bad: "def claim_next_job(conn):\n    with conn.cursor() as cur:\n        cur.execute(\"SELECT id, payload FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1\")\n        job = cur.fetchone()\n        if job is None:\n            return None\n        cur.execute(\"UPDATE jobs SET status = 'running' WHERE id = %s\", (job[0],))\n    conn.commit()\n    return job\n",
        good: "def claim_next_job(conn):\n    with conn.cursor() as cur:\n        cur.execute(\"UPDATE jobs SET status = 'running' WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload\")\n        job = cur.fetchone()\n    conn.commit()\n    return job\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Func(fn) {
        for (const claim of claimsIn(model, fn)) {
          if (claim.sink?.dialect === 'sqlite' || claim.sink?.dialect === 'pysqlite') continue;
          const plan = planClaimFix(model, claim, inTransaction(model, fn));
          report({
            node: claim.read,
            message: format(messages.claim, { where: fn.name ?? 'this function', table: claim.table, write: writeLabel(model, claim) }),
            data: { read: [claim.read.start, claim.read.end], fn: [fn.start, fn.end] },
            noFix: 'reason' in plan ? plan.reason : false,
          });
        }
      },
    };
  },
  fix: {
    title: 'Claim with SKIP LOCKED',
    safety: 'safe',
    produce(finding, ctx) {
      const [fs, fe] = (finding.data?.fn as number[] | undefined) ?? [];
      const [rs] = (finding.data?.read as number[] | undefined) ?? [];
      const fn = ctx.model.functions.find((f) => f.start === fs && f.end === fe);
      const claim = fn && claimsIn(ctx.model, fn).find((c) => c.read.start === rs);
      if (!fn || !claim) return undefined;
      const plan = planClaimFix(ctx.model, claim, inTransaction(ctx.model, fn));
      return 'edits' in plan ? { edits: plan.edits } : undefined;
    },
  },
});

function writeLabel(model: CodeModel, claim: Claim): string {
  if (claim.writeSink) return sqlText(claim.writeSink).trim().split(/\s+/).slice(0, 4).join(' ');
  return excerpt(model, claim.write, 50);
}

/** The function opens a transaction: BEGIN, `transaction(...)`, `with transaction.atomic()`, `with conn:` blocks. */
function inTransaction(model: CodeModel, fn: ir.Func): boolean {
  for (const c of within(model.calls, fn.body)) {
    if (/^(transaction|\$transaction|begin|atomic|beginTransaction|startTransaction|begin_nested)$/.test(ir.calleeName(c) ?? '')) return true;
    // `query('BEGIN')` is too short to read as a SQL sink: look at the literal itself.
    const first = c.args[0] && ir.unwrap(c.args[0]);
    if (first?.type === 'Str' && /^\s*(begin|start\s+transaction)\b/i.test(first.value) && /^(query|execute|exec|raw|run)$/.test(ir.calleeName(c) ?? '')) return true;
  }
  return false;
}
