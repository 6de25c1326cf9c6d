// An orders API on node-postgres whose data helper opens (and closes) its own pool on every call.
const express = require('express');
const { Pool } = require('pg');

const app = express();

async function loadOrder(id) {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  try {
    const { rows } = await pool.query('SELECT id, status, total_cents FROM orders WHERE id = $1', [id]);
    return rows[0] ?? null;
  } finally {
    await pool.end();
  }
}

// GET /orders/42
app.get('/orders/:id', async (req, res) => {
  try {
    const order = await loadOrder(req.params.id);
    if (!order) return res.status(404).json({ error: 'Order not found' });
    res.json(order);
  } catch (err) {
    res.status(503).json({ error: err.message });
  }
});

module.exports = app;
