const express = require('express');
const cron = require('node-cron');
const { Pool } = require('pg');
const { sendInvoices } = require('./invoices');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.get('/health', (req, res) => res.json({ ok: true }));

cron.schedule('0 9 * * *', async () => { // expect: duplicated-scheduler
  await sendInvoices(pool);
});

app.listen(3000);
