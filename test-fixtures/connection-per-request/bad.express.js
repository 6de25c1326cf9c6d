const express = require('express');
const { Pool } = require('pg');
const { PrismaClient } = require('@prisma/client');
const Redis = require('ioredis');

const router = express.Router();

// The incident: a report endpoint with its own pool, opened and closed on every request.
router.get('/orders/:id', async (req, res) => {
  // Orders get their own pool so slow reports don't block checkout.
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 }); // expect: connection-per-request
  try {
    const { rows } = await pool.query('SELECT id, total FROM orders WHERE id = $1', [req.params.id]);
    res.json(rows[0] ?? null);
  } finally {
    await pool.end();
  }
});

// A helper called from a handler runs per request too.
async function findCustomer(id) {
  const prisma = new PrismaClient(); // expect: connection-per-request
  const customer = await prisma.customer.findUnique({ where: { id } });
  await prisma.$disconnect();
  return customer;
}

router.get('/customers/:id', async (req, res) => {
  res.json(await findCustomer(req.params.id));
});

router.get('/carts/:id', async (req, res) => {
  const items = await new Redis(process.env.REDIS_URL).lrange(`cart:${req.params.id}`, 0, 49); // expect: connection-per-request
  res.json({ items });
});

// One pool per tenant, built from request data: reported without a fix.
router.get('/tenants/:tenant/invoices/:id', async (req, res) => {
  const pool = new Pool({ connectionString: tenantDatabaseUrl(req.params.tenant) }); // expect: connection-per-request
  try {
    const { rows } = await pool.query('SELECT id, amount FROM invoices WHERE id = $1', [req.params.id]);
    res.json(rows[0] ?? null);
  } catch (err) {
    res.status(500).json({ error: 'lookup failed' });
    throw err;
  } finally {
    await pool.end();
  }
});

module.exports = router;
