import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const router = express.Router();

router.post('/login', async (req, res) => {
  const { email } = req.body;
  const { rows } = await pool.query(`SELECT id, password_hash FROM users WHERE email = '${email}'`); // expect: sql-injection
  res.json(rows[0] ?? null);
});

router.get('/search', async (req, res) => {
  const q = req.query.q as string;
  const sql = "SELECT * FROM products WHERE name ILIKE '%" + q + "%' AND active = true";
  const result = await pool.query(sql); // expect: sql-injection
  res.json(result.rows);
});

router.get('/orders/:id', async (req, res) => {
  const status = req.query.status;
  const result = await pool.query(`SELECT * FROM orders WHERE user_id = $1 AND status = '${status}'`, [req.params.id]); // expect: sql-injection
  res.json(result.rows);
});

export async function deleteUser(id: string) {
  await pool.query('DELETE FROM sessions WHERE user_id = ' + id); // expect: sql-injection
}

router.get('/report', async (req, res) => {
  const col = req.query.sort;
  const { rows } = await pool.query(`SELECT * FROM orders ORDER BY ${col}`); // expect: sql-injection
  res.json(rows);
});

export default router;

export async function filterProducts(name: string, tag: string) {
  const where: string[] = [];
  if (name) where.push(`name = '${name}'`);
  if (tag) where.push(`tag = $1`);
  return pool.query(`SELECT * FROM products WHERE ${where.join(' AND ')}`, [tag]); // expect: sql-injection
}
// vibeguard-disable-file missing-rate-limit -- this fixture is about sql-injection; missing-rate-limit has fixtures of its own
