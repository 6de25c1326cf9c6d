const express = require('express');
const { Pool } = require('pg');

const pool = new Pool();
const app = express();

app.post('/accounts/:id/withdraw', async (req, res) => {
  const amount = Number(req.body.amount);
  const { rows } = await pool.query('SELECT balance FROM accounts WHERE id = $1', [req.params.id]);
  const next = rows[0].balance - amount;
  if (next < 0) return res.status(409).json({ error: 'insufficient funds' });
  await pool.query('UPDATE accounts SET balance = $1 WHERE id = $2', [next, req.params.id]); // expect: lost-update
  res.json({ ok: true });
});

async function addLoyaltyPoints(userId, earned) {
  const { rows: [user] } = await pool.query('SELECT id, points FROM users WHERE id = $1', [userId]);
  await pool.query('UPDATE users SET points = $2 WHERE id = $1', [user.id, user.points + earned]); // expect: lost-update
}

module.exports = { app, addLoyaltyPoints };
