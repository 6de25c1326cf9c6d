import express from 'express';
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';

const pool = new Pool();
const prisma = new PrismaClient();
const app = express();

// The incident: the whole users table as JSON, on every page view.
app.get('/admin/users', async (_req, res) => {
  const { rows } = await pool.query('SELECT id, email, created_at FROM users ORDER BY created_at DESC LIMIT 100'); // expect: unbounded-query
  res.json(rows);
});

// Through a helper the handler calls.
async function allOrders() {
  const result = await pool.query(`SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id LIMIT 100`); // expect: unbounded-query
  return result.rows;
}
app.get('/orders', async (_req, res) => res.json(await allOrders()));

// An unfiltered ORM read.
app.get('/products', async (_req, res) => {
  res.json(await prisma.product.findMany({ take: 100 })); // expect: unbounded-query
});

app.get('/posts', async (_req, res) => {
  const posts = await prisma.post.findMany({ // expect: unbounded-query
    take: 100,
    orderBy: { createdAt: 'desc' },
    include: { author: true },
  });
  res.json(posts);
});
