const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();

app.delete('/account', async (req, res) => {
  await pool.query('DELETE FROM users WHERE id = $1', [req.user.id]); // expect: incomplete-deletion
  res.status(204).end();
});

async function purgeUser(userId) {
  await pool.query('DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = $1)', [userId]);
  await pool.query('DELETE FROM orders WHERE user_id = $1', [userId]);
  await pool.query('DELETE FROM users WHERE id = $1', [userId]); // expect: incomplete-deletion
}

module.exports = { app, purgeUser };
