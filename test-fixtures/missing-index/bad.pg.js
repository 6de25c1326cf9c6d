const express = require('express');
const { Pool } = require('pg');
const knex = require('knex')({ client: 'pg' });

const pool = new Pool();
const app = express();

app.get('/orders', async (req, res) => {
  const { rows } = await pool.query('SELECT id, total_cents FROM orders WHERE status = $1 ORDER BY id DESC LIMIT 50', [req.query.status]); // expect: missing-index
  res.json(rows);
});

async function ordersOfRegion(region) {
  const sql = `SELECT o.id FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id = $1`;
  return (await pool.query(sql, [region])).rows; // expect: missing-index
}

app.get('/open-orders', async (req, res) => {
  res.json(await knex('orders').where({ status: 'open' }).select('id')); // expect: missing-index
});

async function customersIn(region) {
  return pool.query('SELECT id FROM customers WHERE region = $1', [region]); // expect: missing-index
}

module.exports = { app, ordersOfRegion, customersIn };
