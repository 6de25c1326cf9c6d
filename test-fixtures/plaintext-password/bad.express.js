const crypto = require('crypto');
const express = require('express');
const { db } = require('./db');

const app = express();
app.use(express.json());

// The login compares the stored password with the submitted one.
app.post('/login', async (req, res) => {
  const { email, password } = req.body;
  const user = await db.users.findOne({ where: { email } });
  if (!user || user.password !== password) return res.status(401).json({ error: 'invalid credentials' }); // expect: plaintext-password
  res.json({ id: user.id });
});

// Sign-up stores the password as it came.
app.post('/signup', async (req, res) => {
  const { email, password } = req.body;
  const user = await db.users.create({ email, password }); // expect: plaintext-password
  res.status(201).json({ id: user.id });
});

// A raw SQL insert with the password among the parameters.
app.post('/admin/users', async (req, res) => {
  await db.query('INSERT INTO users (email, password) VALUES ($1, $2)', [req.body.email, req.body.password]); // expect: plaintext-password
  res.sendStatus(201);
});

// Changing the password: an md5 digest is not a password hash.
app.post('/account/password', async (req, res) => {
  const newPassword = req.body.newPassword;
  const digest = crypto.createHash('md5').update(newPassword).digest('hex'); // expect: plaintext-password
  await db.users.update({ where: { id: req.user.id }, data: { passwordDigest: digest } });
  res.sendStatus(204);
});

// A synchronous check on a synchronous driver: the fix needs an await, so it only says why.
function checkLogin(sqlite, email, password) {
  const row = sqlite.prepare('SELECT id, password FROM users WHERE email = ?').get(email);
  return !!row && row.password === password; // expect: plaintext-password
}

module.exports = { app, checkLogin };
// vibeguard-disable-file missing-rate-limit -- this fixture is about plaintext-password; missing-rate-limit has fixtures of its own
