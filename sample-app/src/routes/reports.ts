import express from 'express';
import { Pool } from 'pg';

import { requireAuth } from '../middleware/requireAuth';

export const reportsRouter = express.Router();

reportsRouter.use('/reports', requireAuth);

// Reports read from the analytics replica, created on first use and shared afterwards.
let analyticsPool: Pool | undefined;

function getAnalyticsPool(): Pool {
  analyticsPool ??= new Pool({ connectionString: process.env.ANALYTICS_DATABASE_URL, max: 5 });
  return analyticsPool;
}

// Only these sort orders are allowed; the client picks one by name.
const CUSTOMER_SORTS = {
  newest: 'created_at DESC',
  email: 'email ASC',
  spend: 'lifetime_value_cents DESC',
} as const;

// GET /api/reports/sales?from=2024-01-01&to=2024-02-01: daily revenue for the dashboard chart.
reportsRouter.get('/reports/sales', async (req, res) => {
  // Sales reports can run for a while, so they get a dedicated pool and don't block app queries.
  const pool = new Pool({ connectionString: process.env.ANALYTICS_DATABASE_URL, max: 5 });
  try {
    const from = String(req.query.from ?? '2024-01-01');
    const to = String(req.query.to ?? new Date().toISOString().slice(0, 10));

    let sql = "SELECT date_trunc('day', created_at) AS day, count(*) AS orders, sum(total_cents) AS revenue_cents FROM orders";
    sql += " WHERE status = 'paid' AND created_at >= '" + from + "' AND created_at < '" + to + "'";
    sql += ' GROUP BY 1 ORDER BY 1';

    const { rows } = await pool.query(sql);
    res.json({ from, to, days: rows });
  } finally {
    await pool.end();
  }
});

// GET /api/reports/customers?sort=spend: the top customers table.
reportsRouter.get('/reports/customers', async (req, res) => {
  const sort = String(req.query.sort ?? 'newest');
  const orderBy = CUSTOMER_SORTS[sort as keyof typeof CUSTOMER_SORTS] ?? CUSTOMER_SORTS.newest;

  const { rows } = await getAnalyticsPool().query(`SELECT id, email, lifetime_value_cents, created_at FROM customer_stats ORDER BY ${orderBy} LIMIT 100`);
  res.json({ customers: rows });
});

// GET /api/reports/summary: headline numbers for the last 30 days.
reportsRouter.get('/reports/summary', async (req, res) => {
  const { rows } = await getAnalyticsPool().query("SELECT count(*) AS orders, coalesce(sum(total_cents), 0) AS revenue_cents FROM orders WHERE status = 'paid' AND created_at >= now() - interval '30 days'");
  res.json(rows[0]);
});

// GET /api/reports/orders/:id: a single order with its shipment status, for support.
reportsRouter.get('/reports/orders/:id', async (req, res) => {
  const { rows } = await getAnalyticsPool().query(
    'SELECT o.id, o.status, o.total_cents, s.status AS shipment_status FROM orders o LEFT JOIN shipments s ON s.order_id = o.id WHERE o.id = $1',
    [req.params.id],
  );
  if (rows.length === 0) {
    return res.status(404).json({ error: 'Order not found' });
  }
  res.json(rows[0]);
});
