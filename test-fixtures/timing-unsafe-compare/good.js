const crypto = require('crypto');
const express = require('express');

const app = express();

// Constant-time comparison with the length check first.
app.post('/hooks/ci', (req, res) => {
  const expected = Buffer.from(crypto.createHmac('sha256', process.env.CI_SECRET).update(req.rawBody).digest('hex'));
  const given = Buffer.from(String(req.headers['x-ci-signature'] ?? ''));
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return res.sendStatus(401);
  res.sendStatus(204);
});

// Checks about a token rather than the token itself: presence, type, length, expiry.
app.post('/session/refresh', (req, res) => {
  const { refreshToken, tokenType } = req.body;
  if (refreshToken === undefined || refreshToken === null) return res.sendStatus(400);
  if (tokenType !== 'refresh') return res.sendStatus(400);
  if (typeof refreshToken !== 'string' || refreshToken.length !== 64) return res.sendStatus(400);
  if (req.body.tokenExpiresAt === req.body.issuedAt) return res.sendStatus(400);
  res.sendStatus(204);
});

// Pagination tokens are positions in a list, not secrets.
app.get('/feed', (req, res) => {
  const { nextPageToken } = req.query;
  if (nextPageToken === req.session.lastPageToken) return res.json({ items: [] });
  res.json({ items: [1, 2, 3] });
});

// Password confirmation and password checks belong to plaintext-password, not to this rule.
app.post('/signup', (req, res) => {
  if (req.body.password !== req.body.passwordConfirmation) return res.status(400).send('Passwords do not match');
  res.sendStatus(201);
});

// Non-secret comparisons: ids, roles, status.
app.get('/orders/:id', (req, res) => {
  if (req.params.id !== req.user.orderId) return res.sendStatus(404);
  if (req.user.role === req.query.role) return res.sendStatus(204);
  res.sendStatus(200);
});

// Two tokens the app itself holds, compared in browser-side state: nobody outside chooses either.
class TokenCache {
  constructor() { this.token = null; this.previousToken = null; }
  changed() { return this.token !== this.previousToken; }
}

module.exports = { app, TokenCache };
// vibeguard-disable-file missing-rate-limit -- this fixture is about timing-unsafe-compare; missing-rate-limit has fixtures of its own
