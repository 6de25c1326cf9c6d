const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();

app.delete('/account', async (req, res) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = $1)', [req.user.id]);
    await client.query('DELETE FROM orders WHERE user_id = $1', [req.user.id]);
    await client.query('DELETE FROM users WHERE id = $1', [req.user.id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  } // expect: incomplete-deletion
  res.status(204).end();
});

async function purgeUser(userId) {
  await pool.query('DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = $1)', [userId]);
  await pool.query('DELETE FROM orders WHERE user_id = $1', [userId]);
  await pool.query('DELETE FROM users WHERE id = $1', [userId]); // expect: incomplete-deletion
}

module.exports = { app, purgeUser };
