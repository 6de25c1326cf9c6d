import express from 'express';
import { Pool } from 'pg';
import { PrismaClient } from '@prisma/client';

const pool = new Pool();
const prisma = new PrismaClient();
const app = express();

// The incident: the customer of each order, one query per order.
app.get('/orders', async (req, res) => {
  const { rows: orders } = await pool.query('SELECT id, customer_id, total FROM orders ORDER BY id');
  for (const order of orders) {
    const { rows } = await pool.query('SELECT name FROM customers WHERE id = $1', [order.customer_id]); // expect: n-plus-one
    order.customer = rows[0]?.name;
  }
  res.json(orders);
});

// A destructured loop variable, and the lookup built in a helper object.
app.get('/posts', async (_req, res) => {
  const posts = await prisma.post.findMany({ where: { published: true } });
  const authors: unknown[] = [];
  for (const { authorId } of posts) {
    authors.push(await prisma.user.findUnique({ where: { id: authorId } })); // expect: n-plus-one
  }
  res.json(authors);
});

// Per element of what the client sent, through forEach, and an HTTP lookup per id.
app.post('/carts/price', async (req, res) => {
  const lines: { sku: string; qty: number }[] = req.body.lines;
  const prices: number[] = [];
  for (const line of lines) {
    const product = await prisma.product.findFirst({ where: { sku: line.sku } }); // expect: n-plus-one
    const stock = await fetch(`https://stock.example.com/skus/${line.sku}`); // expect: n-plus-one
    prices.push((product?.price ?? 0) * line.qty + (stock.ok ? 0 : 1));
  }
  res.json({ total: prices.reduce((a, b) => a + b, 0) });
});
// vibeguard-disable-file missing-timeout -- this fixture is about n-plus-one; missing-timeout has fixtures of its own
// vibeguard-disable-file unbounded-query -- this fixture is about n-plus-one; unbounded-query has fixtures of its own
