// Sign-up stores the password as it came; login compares it with !==.
const express = require('express');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const app = express();
app.use(express.json());

app.post('/signup', async (req, res) => {
  const { email, password } = req.body;
  await pool.query('INSERT INTO accounts (email, password) VALUES ($1, $2)', [email, password]);
  res.sendStatus(201);
});

app.post('/login', async (req, res) => {
  const { email, password } = req.body;
  const { rows } = await pool.query('SELECT id, password FROM accounts WHERE email = $1', [email]);
  const account = rows[0];
  if (!account || account.password !== password) return res.status(401).json({ error: 'invalid credentials' });
  res.json({ id: account.id });
});

module.exports = { app, pool };
