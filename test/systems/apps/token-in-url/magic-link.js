// Passwordless sign-in for a single-page app: the emailed link lands here, and the API hands the
// session to the SPA the way assistants often write it, in the redirect URL.
const crypto = require('crypto');
const express = require('express');
const jwt = require('jsonwebtoken');

const app = express();
const APP_URL = process.env.APP_URL;

// Magic-link codes that were emailed, by code (a real app keeps them in the database).
const pendingCodes = new Map([['c0ffee', { userId: 'user_42', email: 'ada@example.com' }]]);

function signSession(user) {
  return jwt.sign({ sub: user.userId, email: user.email }, process.env.JWT_SECRET, { expiresIn: '1h' });
}

// GET /auth/magic?code=...: the link from the email.
app.get('/auth/magic', (req, res) => {
  const user = pendingCodes.get(String(req.query.code));
  if (!user) return res.redirect('/login?error=invalid_link');
  const accessToken = signSession(user);
  res.redirect(`${APP_URL}/app#access_token=${accessToken}&token_type=bearer`);
});

// GET /sso/return?ticket=...: coming back from the company SSO portal.
app.get('/sso/return', (req, res) => {
  const user = pendingCodes.get(String(req.query.ticket));
  if (!user) return res.status(401).send('Unknown ticket');
  const t = jwt.sign({ sub: user.userId }, process.env.JWT_SECRET, { expiresIn: '15m' });
  res.redirect(302, `/dashboard?token=${encodeURIComponent(t)}&welcome=1`);
});

// GET /auth/refresh?code=...: issues a refresh token for the mobile web view.
app.get('/auth/refresh', (req, res) => {
  const user = pendingCodes.get(String(req.query.code));
  if (!user) return res.status(401).send('Unknown code');
  const refreshToken = crypto.randomBytes(32).toString('hex');
  const target = new URL('/welcome', APP_URL);
  target.searchParams.set('refresh_token', refreshToken);
  target.searchParams.set('source', 'magic-link');
  res.redirect(target.toString());
});

module.exports = app;
