import express from 'express';
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';

const pool = new Pool();
const prisma = new PrismaClient();
const app = express();

// The incident: every uploaded contact becomes a request, all of them at once.
app.post('/contacts/import', async (req, res) => {
  const contacts = req.body.contacts;
  const statuses = await Promise.all(contacts.map(async (contact) => { // expect: unbounded-concurrency
    const r = await fetch(`https://crm.example.com/contacts/${contact.id}`, { method: 'PUT', body: JSON.stringify(contact) });
    return r.status;
  }));
  res.json({ failed: statuses.filter((s) => s >= 400).length });
});

// A query per row of a previous query, fanned out without a cap.
export async function loadTotals() {
  const { rows } = await pool.query('SELECT id FROM accounts');
  const settled = await Promise.allSettled(rows.map((row) => pool.query('SELECT sum(amount) FROM ledger WHERE account_id = $1', [row.id]))); // expect: unbounded-concurrency
  return settled.length;
}

// Promises started while building the array: the cap belongs where they start.
export async function notifyAll() {
  const users = await prisma.user.findMany({ where: { subscribed: true } });
  const sends = users.map((u) => fetch(`https://push.example.com/users/${u.id}`, { method: 'POST' }));
  await Promise.all(sends); // expect: unbounded-concurrency
}

// Pushed one by one in a loop, then awaited together.
export async function archive() {
  const files = await prisma.file.findMany({ where: { archived: false } });
  const uploads: Promise<Response>[] = [];
  for (const f of files) {
    uploads.push(fetch(`https://storage.example.com/archive/${f.key}`, { method: 'POST' }));
  }
  await Promise.all(uploads); // expect: unbounded-concurrency
}
// vibeguard-disable-file missing-timeout -- this fixture is about unbounded-concurrency; missing-timeout has fixtures of its own
