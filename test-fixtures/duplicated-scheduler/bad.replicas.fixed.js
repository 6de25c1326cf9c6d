const express = require('express');
const cron = require('node-cron');
const { Pool } = require('pg');
const { sendInvoices } = require('./invoices');

// Runs a scheduled job on one copy of the app per tick: every copy (replica, worker) schedules it, the
// one that takes the lock runs it and the others skip the tick.
// The Postgres advisory lock is held at least holdMs, so a copy whose timer fires a little later
// cannot take it again for the same tick.
async function withJobLock(key, holdMs, job) {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
    if (!rows[0].locked) return;
    const started = Date.now();
    try {
      await job();
    } finally {
      const left = holdMs - (Date.now() - started);
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    client.release();
  }
}

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.get('/health', (req, res) => res.json({ ok: true }));

cron.schedule('0 9 * * *', () => withJobLock('sendInvoices', 30000, async () => { // expect: duplicated-scheduler
  await sendInvoices(pool);
}));

app.listen(3000);
