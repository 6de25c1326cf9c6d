// Three replicas run this module; each job takes a lock or is switched on in one process only.
const cron = require('node-cron');
const { Pool } = require('pg');
const { sendInvoices, purgeSessions } = require('./jobs');

const pool = new Pool();

async function invoicesOnce() {
  const client = await pool.connect();
  try {
    const { rows } = await client.query('SELECT pg_try_advisory_lock(42) AS locked');
    if (rows[0].locked) await sendInvoices(client);
  } finally {
    client.release();
  }
}

cron.schedule('0 9 * * *', invoicesOnce);

if (process.env.RUN_SCHEDULER === 'true') {
  cron.schedule('*/15 * * * *', () => purgeSessions());
}

// An in-process timer (a counter reset) is per copy by design.
let hits = 0;
setInterval(() => { hits = 0; }, 60_000);
