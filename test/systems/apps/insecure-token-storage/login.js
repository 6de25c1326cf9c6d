// Password sign-in that keeps the session in a cookie, written the way assistants often write it:
// the session and remember-me cookies go out without all of HttpOnly, Secure and SameSite.
const crypto = require('node:crypto');
const express = require('express');

const app = express();
app.use(express.json());

const PASSWORDS = { 'ada@example.com': 'correct horse battery staple' };
const sessions = new Map();

function cookiesOf(req) {
  return Object.fromEntries((req.headers.cookie || '').split(/;\s*/).filter(Boolean).map((c) => c.split('=').map(decodeURIComponent)));
}

app.post('/login', (req, res) => {
  const { email, password } = req.body;
  if (PASSWORDS[email] !== password) return res.status(401).json({ error: 'invalid credentials' });
  const sessionToken = crypto.randomBytes(32).toString('hex');
  const rememberToken = crypto.randomBytes(32).toString('hex');
  sessions.set(sessionToken, email);
  res.cookie('session_token', sessionToken);
  res.cookie('remember_me', rememberToken, { maxAge: 30 * 24 * 3600 * 1000, httpOnly: true });
  res.cookie('theme', 'dark');
  res.json({ ok: true, email });
});

app.get('/me', (req, res) => {
  const email = sessions.get(cookiesOf(req).session_token);
  if (!email) return res.status(401).json({ error: 'not signed in' });
  res.json({ email });
});

module.exports = app;
