// Email/password sign-in issuing JWT sessions, with the signing key written into the code.
const express = require('express');
const jwt = require('jsonwebtoken');

const app = express();
app.use(express.json());

// Demo accounts (a real app reads them from the database and compares password hashes).
const USERS = { 'ada@example.com': { id: 'user_42', role: 'admin' } };

function requireAuth(req, res, next) {
  const header = req.get('authorization') || '';
  try {
    req.user = jwt.verify(header.replace(/^Bearer /, ''), 'my-secret-key', { algorithms: ['HS256'] });
    next();
  } catch (err) {
    res.status(401).json({ error: 'Not authenticated' });
  }
}

app.post('/login', (req, res) => {
  const user = USERS[req.body.email];
  if (!user) return res.status(401).json({ error: 'Invalid email or password' });
  const token = jwt.sign({ sub: user.id, role: user.role }, 'my-secret-key', { expiresIn: '1h' });
  res.json({ token });
});

app.get('/me', requireAuth, (req, res) => {
  res.json({ id: req.user.sub, role: req.user.role });
});

module.exports = app;
