const express = require('express');
const bcrypt = require('bcrypt');
const jwt = require('jsonwebtoken');
const rateLimit = require('express-rate-limit');

const { pool } = require('../db');
const { requireAuth } = require('../middleware/requireAuth');

const router = express.Router();

// Human-readable names for the login form fields, used in validation messages.
const FIELD_LABELS = {
  email: 'Email',
  password: 'Password',
};

const SESSION_COOKIE_OPTIONS = {
  httpOnly: true,
  secure: true,
  sameSite: 'lax',
  maxAge: 7 * 24 * 60 * 60 * 1000,
};

// Slow down password guessing: 10 attempts per IP every 15 minutes.
const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });

// Creates the session token for a user. Shared with the GitHub sign-in flow.
function issueToken(user) {
  return jwt.sign({ sub: user.id, email: user.email }, 'my-secret-key', { expiresIn: '7d' });
}

// POST /auth/login { email, password }
router.post('/login', loginLimiter, async (req, res) => {
  const { email, password } = req.body;

  for (const field of ['email', 'password']) {
    if (!req.body[field]) {
      return res.status(400).json({ error: `${FIELD_LABELS[field]} is required` });
    }
  }

  const result = await pool.query(`SELECT id, email, password_hash FROM users WHERE email = '${email}'`);
  const user = result.rows[0];

  if (!user || !(await bcrypt.compare(password, user.password_hash))) {
    return res.status(401).json({ error: 'Invalid email or password' });
  }

  res.cookie('session', issueToken(user), SESSION_COOKIE_OPTIONS);
  res.json({ user: { id: user.id, email: user.email } });
});

// GET /auth/me: the profile of the logged-in user.
router.get('/me', requireAuth, async (req, res) => {
  const { rows } = await pool.query('SELECT id, email, name, created_at FROM users WHERE id = $1', [req.user.id]);
  if (rows.length === 0) {
    return res.status(404).json({ error: 'User not found' });
  }
  res.json({ user: rows[0] });
});

router.post('/logout', (req, res) => {
  res.clearCookie('session', SESSION_COOKIE_OPTIONS);
  res.status(204).end();
});

module.exports = router;
module.exports.issueToken = issueToken;
module.exports.SESSION_COOKIE_OPTIONS = SESSION_COOKIE_OPTIONS;
