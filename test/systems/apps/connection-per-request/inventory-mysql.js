// A stock-level endpoint on mysql2 that creates a connection pool inside the handler.
const express = require('express');
const mysql = require('mysql2/promise');

const app = express();

// GET /stock/SKU-1
app.get('/stock/:sku', async (req, res) => {
  const db = mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 5 });
  try {
    const [rows] = await db.query('SELECT sku, quantity FROM stock WHERE sku = ?', [req.params.sku]);
    res.json(rows[0] ?? null);
  } catch (err) {
    res.status(503).json({ error: err.message });
  } finally {
    await db.end();
  }
});

module.exports = app;
