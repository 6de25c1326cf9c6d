// A product catalogue on mysql2 (MySQL or MariaDB): SQL concatenated from query parameters.
const express = require('express');
const mysql = require('mysql2/promise');

const db = mysql.createPool(process.env.DATABASE_URL);
const app = express();

// GET /products?category=kitchen&min=10
app.get('/products', async (req, res) => {
  const category = req.query.category;
  const minPrice = req.query.min || 0;
  try {
    const [rows] = await db.execute("SELECT id, name, price FROM products WHERE visible = 1 AND category = '" + category + "' AND price >= " + minPrice + ' ORDER BY id');
    res.json(rows);
  } catch (err) {
    res.status(500).json({ error: err.message });
  }
});

// GET /customers?name=Ada%20Lovelace
app.get('/customers', async (req, res, next) => {
  try {
    const [rows] = await db.query(`SELECT id, name, city FROM customers WHERE name = "${req.query.name}" ORDER BY id`);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

app.use((err, req, res, next) => {
  res.status(500).json({ error: err.message });
});

module.exports = { app, db };
