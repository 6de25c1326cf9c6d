import express from 'express';
import { Pool } from 'pg';
import { PrismaClient, Prisma } from '@prisma/client';
import { sql } from 'drizzle-orm';

const pool = new Pool();
const prisma = new PrismaClient();
const router = express.Router();
const TABLE = 'users';
const SORTABLE: Record<string, string> = { name: 'name', created: 'created_at' };

// Constant SQL, including templates whose parts are all constants.
router.get('/count', async (_req, res) => {
  const { rows } = await pool.query(`SELECT count(*) FROM ${TABLE} WHERE active = true`);
  res.json(rows[0]);
});

// Placeholders with a values array.
router.post('/login', async (req, res) => {
  const { email } = req.body;
  const { rows } = await pool.query('SELECT id FROM users WHERE email = $1', [email]);
  const q = { text: 'SELECT * FROM sessions WHERE user_id = $1', values: [rows[0].id] };
  await pool.query(q);
  res.json(rows[0]);
});

// Identifiers from a constant allowlist.
router.get('/list', async (req, res) => {
  const column = SORTABLE[String(req.query.sort)] ?? 'id';
  const dir = req.query.dir === 'desc' ? 'DESC' : 'ASC';
  const { rows } = await pool.query(`SELECT * FROM users ORDER BY ${column} ${dir} LIMIT 50`);
  res.json(rows);
});

// Tagged templates that parameterize.
router.get('/posts', async (req, res) => {
  const term = String(req.query.q);
  const posts = await prisma.$queryRaw`SELECT * FROM "Post" WHERE title = ${term}`;
  const more = await prisma.$queryRaw(Prisma.sql`SELECT * FROM "Post" WHERE author = ${term}`);
  const filter = sql`lower(title) = ${term}`;
  res.json({ posts, more, filter });
});

// Numbers cannot carry SQL.
router.get('/page', async (req, res) => {
  const limit = Number(req.query.limit) || 20;
  const { rows } = await pool.query(`SELECT * FROM products ORDER BY id LIMIT ${limit} OFFSET ${parseInt(String(req.query.offset), 10)}`);
  res.json(rows);
});

// Look-alike method names that are not SQL sinks.
router.get('/cache', async (req, res) => {
  const cache = new Map<string, string>();
  const value = cache.get(`select:${req.query.key}`);
  const re = /select (.*) from/i;
  const match = re.exec(String(req.query.text));
  res.json({ value, match, msg: `Please select an option from ${req.query.menu}` });
});

export default router;

// A dynamic filter built from constant pieces with numbered placeholders.
export async function searchOrders(filters: { status?: string; customer?: string }) {
  const where: string[] = ['deleted_at IS NULL'];
  const params: unknown[] = [];
  if (filters.status) {
    params.push(filters.status);
    where.push(`status = $${params.length}`);
  }
  if (filters.customer) {
    params.push(filters.customer);
    where.push('customer_id = $' + params.length);
  }
  const { rows } = await pool.query(`SELECT * FROM orders WHERE ${where.join(' AND ')} LIMIT 100`, params);
  return rows;
}
// vibeguard-disable-file missing-rate-limit -- this fixture is about sql-injection; missing-rate-limit has fixtures of its own
