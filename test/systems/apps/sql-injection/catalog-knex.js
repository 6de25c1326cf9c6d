// A catalogue on Knex (PostgreSQL or MariaDB by KNEX_CLIENT): whereRaw and raw built from the query string.
const express = require('express');
const knex = require('knex');

const db = knex({ client: process.env.KNEX_CLIENT, connection: process.env.DATABASE_URL, pool: { min: 0, max: 4 } });
const app = express();

// knex.raw answers rows in the driver's own shape: { rows } from pg, [rows, fields] from mysql2.
const rowsOf = (result) => (Array.isArray(result) ? result[0] : result.rows);

// GET /products?category=kitchen: released products of a category.
app.get('/products', async (req, res, next) => {
  try {
    const rows = await db('products').select('id', 'name').whereRaw(`released = true AND category = '${req.query.category}'`).orderBy('id');
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// GET /users?name=Ada: a user's public profile.
app.get('/users', async (req, res, next) => {
  try {
    const result = await db.raw(`SELECT id, name FROM users WHERE name = '${req.query.name}' ORDER BY id`);
    res.json(rowsOf(result));
  } catch (err) {
    next(err);
  }
});

app.use((err, req, res, next) => res.status(500).json({ error: err.message }));

module.exports = { app, db };
