const { Pool } = require('pg');
const { chargeCustomer } = require('./billing');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function claimNextJob() {
  const { rows } = await pool.query("UPDATE jobs SET status = 'running', started_at = now() WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload"); // expect: queue-claim-race
  const job = rows[0];
  if (!job) return null;
  return job;
}

async function drainInvoices() {
  const sql = `UPDATE invoices SET state = 'charging' WHERE id IN (SELECT id FROM invoices WHERE state = 'queued' LIMIT 20 FOR UPDATE SKIP LOCKED) RETURNING id, customer_id, amount_cents`;
  const { rows } = await pool.query(sql); // expect: queue-claim-race
  for (const invoice of rows) {
    await chargeCustomer(invoice.customer_id, invoice.amount_cents);
  }
}

async function takeEmailBatch(workerId) {
  // The UPDATE records which worker took the row: it cannot be folded, but the claim runs in a transaction.
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query("SELECT id, recipient FROM outbox WHERE status = 'new' LIMIT 10 FOR UPDATE SKIP LOCKED"); // expect: queue-claim-race
    for (const row of rows) {
      await client.query("UPDATE outbox SET status = 'sending', worker = $2 WHERE id = $1", [row.id, workerId]);
    }
    await client.query('COMMIT');
    return rows;
  } finally {
    client.release();
  }
}

module.exports = { claimNextJob, drainInvoices, takeEmailBatch };
