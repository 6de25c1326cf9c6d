const express = require('express');
const { Pool } = require('pg');
const { PrismaClient } = require('@prisma/client');
const { createClient } = require('redis');

// Module scope: created once when the file is first required, shared by every route.
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// Lazily memoised singletons.
let reportingPool;
function getReportingPool() {
  reportingPool ??= new Pool({ connectionString: process.env.REPORTING_DATABASE_URL });
  return reportingPool;
}

let prisma;
function db() {
  if (!prisma) {
    prisma = new PrismaClient();
  }
  return prisma;
}

const tenantPools = new Map();
function poolFor(tenant) {
  if (!tenantPools.has(tenant)) {
    tenantPools.set(tenant, new Pool({ connectionString: `${process.env.TENANT_DATABASE_PREFIX}_${tenant}` }));
  }
  return tenantPools.get(tenant);
}

// A factory that runs once at startup builds the clients its routes share.
async function createApp() {
  const app = express();
  const cache = createClient({ url: process.env.REDIS_URL });
  await cache.connect();

  app.get('/orders/:id', async (req, res) => {
    const { rows } = await pool.query('SELECT id, total FROM orders WHERE id = $1', [req.params.id]);
    res.json(rows[0] ?? null);
  });

  app.get('/reports/daily', async (req, res) => {
    const { rows } = await getReportingPool().query('SELECT day, revenue FROM daily_revenue WHERE day = $1', [req.query.day]);
    res.json(rows);
  });

  app.get('/customers/:id', async (req, res) => {
    res.json(await db().customer.findUnique({ where: { id: req.params.id } }));
  });

  app.get('/tenants/:tenant/invoices/:id', async (req, res) => {
    const { rows } = await poolFor(req.params.tenant).query('SELECT id, amount FROM invoices WHERE id = $1', [req.params.id]);
    res.json(rows[0] ?? null);
  });

  app.get('/carts/:id', async (req, res) => {
    res.json({ items: await cache.lRange(`cart:${req.params.id}`, 0, 49) });
  });

  return app;
}

// A startup check in the listen callback runs once.
createApp().then((app) => {
  app.listen(process.env.PORT, async () => {
    const probe = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    await probe.query('SELECT 1');
    await probe.end();
  });
});

// A service class builds its pool in the constructor, once per service instance.
class OrderRepository {
  constructor() {
    this.pool = new Pool({ connectionString: process.env.DATABASE_URL });
  }

  async find(id) {
    const { rows } = await this.pool.query('SELECT id, total FROM orders WHERE id = $1', [id]);
    return rows[0];
  }
}

module.exports = { createApp, OrderRepository };
