import express from 'express';
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';
import QueryStream from 'pg-query-stream';

const pool = new Pool();
const prisma = new PrismaClient();
const app = express();

app.get('/admin/users', async (req, res) => {
  const page = Number(req.query.page ?? 0);
  // Paginated.
  const { rows } = await pool.query('SELECT id, email FROM users ORDER BY id LIMIT 50 OFFSET $1', [page * 50]);
  // Aggregates and single-row lookups.
  const { rows: [stats] } = await pool.query('SELECT count(*) AS n FROM users');
  const { rows: byStatus } = await pool.query('SELECT status, count(*) FROM orders GROUP BY status');
  const { rows: [me] } = await pool.query('SELECT id FROM users WHERE id = $1', [req.query.id]);
  res.json({ rows, stats, byStatus, me });
});

// Filtered ORM reads and pages.
app.get('/posts', async (req, res) => {
  const mine = await prisma.post.findMany({ where: { authorId: String(req.query.author) } });
  const latest = await prisma.post.findMany({ take: 20, orderBy: { createdAt: 'desc' } });
  res.json({ mine, latest });
});

// A streamed export.
app.get('/admin/export.csv', async (_req, res) => {
  const client = await pool.connect();
  const stream = client.query(new QueryStream('SELECT id, email FROM users'));
  stream.pipe(res);
  stream.on('end', () => client.release());
});

// A startup job, not a request.
export async function warmCache() {
  return pool.query('SELECT id, slug FROM categories');
}

// A set-returning function with parameters, and a table read into a cache rather than answered.
const cache = new Map<string, unknown>();
async function loadFlags() {
  const { rows } = await pool.query('SELECT key, enabled FROM feature_flags');
  for (const r of rows) cache.set(r.key, r.enabled);
}
app.post('/auth/link', async (req, res) => {
  const { rows: [user] } = await pool.query('select * from app_private.link_user($1, $2)', [req.body.a, req.body.b]);
  await loadFlags();
  res.json(user);
});
