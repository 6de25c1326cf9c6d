// A password login with nothing between a script and the password check.
const express = require('express');

const app = express();
app.use(express.json());

const PASSWORDS = { 'ada@example.com': 'correct horse battery staple' };

app.post('/login', (req, res) => {
  const { email, password } = req.body;
  if (PASSWORDS[email] !== password) return res.status(401).json({ error: 'invalid credentials' });
  res.json({ ok: true });
});

module.exports = app;
