import express from 'express';
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';

const pool = new Pool();
const prisma = new PrismaClient();
const app = express();
const CURRENCIES = ['EUR', 'USD', 'GBP'];

// One batched query, then a Map lookup per row.
app.get('/orders', async (_req, res) => {
  const { rows: orders } = await pool.query('SELECT id, customer_id FROM orders');
  const { rows: customers } = await pool.query('SELECT id, name FROM customers WHERE id = ANY($1)', [orders.map((o) => o.customer_id)]);
  const byId = new Map(customers.map((c) => [c.id, c]));
  res.json(orders.map((o) => ({ ...o, customer: byId.get(o.customer_id) })));
});

// A small constant collection.
app.get('/rates', async (_req, res) => {
  const out: Record<string, unknown> = {};
  for (const c of CURRENCIES) out[c] = await pool.query('SELECT rate FROM rates WHERE currency = $1', [c]);
  res.json(out);
});

// Per-item writes of a job loop are not N+1, and a batched IN query inside a chunk loop is the fix.
export async function settle() {
  const due = await prisma.invoice.findMany({ where: { status: 'due' } });
  for (const inv of due) {
    await prisma.invoice.update({ where: { id: inv.id }, data: { status: 'sent' } });
    await fetch(`https://mail.example.com/send/${inv.id}`, { method: 'POST' });
  }
  for (const batch of chunk(due, 100)) {
    await pool.query('SELECT id FROM payments WHERE invoice_id = ANY($1)', [batch.map((i) => i.id)]);
  }
}

// In-memory lookups per row: Map.get, Array.find.
app.get('/labels', async (_req, res) => {
  const { rows } = await pool.query('SELECT id, label_id FROM items');
  const labels = new Map<number, string>();
  res.json(rows.map((r) => labels.get(r.label_id) ?? rows.find((x) => x.id === r.label_id)));
});

// One user's rows.
app.get('/me/devices', async (req, res) => {
  const devices = await prisma.device.findMany({ where: { userId: req.query.user as string } });
  for (const d of devices) await prisma.session.findFirst({ where: { deviceId: d.id } });
  res.end();
});

function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

// Fanned out with Promise.all: unbounded-concurrency's finding, not this rule's.
app.get('/feed', async (_req, res) => {
  const posts = await prisma.post.findMany({ take: 50 });
  res.json(await Promise.all(posts.map(async (p) => prisma.user.findUnique({ where: { id: p.authorId } }))));
});
// vibeguard-disable-file missing-timeout -- this fixture is about n-plus-one; missing-timeout has fixtures of its own
// vibeguard-disable-file quadratic-loop unbounded-query -- this fixture is about n-plus-one; unbounded-query and quadratic-loop have fixtures of their own
