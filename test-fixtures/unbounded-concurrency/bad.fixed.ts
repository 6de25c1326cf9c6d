import express from 'express';
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';

const pool = new Pool();
const prisma = new PrismaClient();
const app = express();

// The incident: every uploaded contact becomes a request, all of them at once.
app.post('/contacts/import', async (req, res) => {
  const contacts = req.body.contacts;
  const statuses = await mapInBatches(contacts, 10, async (contact) => { // expect: unbounded-concurrency
    const r = await fetch(`https://crm.example.com/contacts/${contact.id}`, { method: 'PUT', body: JSON.stringify(contact) });
    return r.status;
  });
  res.json({ failed: statuses.filter((s) => s >= 400).length });
});

// A query per row of a previous query, fanned out without a cap.
export async function loadTotals() {
  const { rows } = await pool.query('SELECT id FROM accounts');
  const settled = await settleInBatches(rows, 10, (row) => pool.query('SELECT sum(amount) FROM ledger WHERE account_id = $1', [row.id])); // expect: unbounded-concurrency
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

/** Promise.all over items, at most `size` at a time; results keep the order of items. */
async function mapInBatches<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => R | Promise<R>): Promise<Awaited<R>[]> {
  const results: Awaited<R>[] = [];
  for (let start = 0; start < items.length; start += size) {
    const batch = items.slice(start, start + size);
    results.push(...(await Promise.all(batch.map((item, i) => fn(item, start + i)))));
  }
  return results;
}

/** Promise.allSettled over items, at most `size` at a time; results keep the order of items. */
async function settleInBatches<T, R>(items: readonly T[], size: number, fn: (item: T, index: number) => R | Promise<R>): Promise<PromiseSettledResult<Awaited<R>>[]> {
  const results: PromiseSettledResult<Awaited<R>>[] = [];
  for (let start = 0; start < items.length; start += size) {
    const batch = items.slice(start, start + size);
    results.push(...(await Promise.allSettled(batch.map((item, i) => fn(item, start + i)))));
  }
  return results;
}
