const express = require('express');
const jwt = require('jsonwebtoken');

const router = express.Router();
const baseCookie = { path: '/', maxAge: 3600 * 1000 };

router.post('/login', async (req, res) => {
  const user = await users.checkCredentials(req.body.email, req.body.password);
  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });
  // `secure` tied to production counts as set.
  res.cookie('access_token', token, { httpOnly: true, secure: process.env.NODE_ENV === 'production', sameSite: 'lax' });
  // Preferences and CSRF tokens are meant for page scripts.
  res.cookie('theme', req.body.theme || 'light');
  res.cookie('locale', req.acceptsLanguages()[0]);
  res.cookie('csrf_token', req.csrfToken(), { sameSite: 'strict' });
  res.json({ user: { id: user.id, name: user.name } });
});

// Options built elsewhere (spread): nothing to judge here.
router.post('/session/extend', (req, res) => {
  res.cookie('sid', req.sessionID, { ...baseCookie, ...req.app.locals.sessionCookie });
  res.sendStatus(204);
});

// An API-token endpoint for machine clients, named so.
router.post('/api-tokens', async (req, res) => {
  const token = await apiTokens.create(req.user.id, req.body.scopes);
  res.status(201).json({ token });
});

// Reading the current user is no login.
router.get('/auth/me', (req, res) => {
  res.json({ id: req.user.id, token: req.user.publicId });
});

// Logging out overwrites the session cookie with an empty, expired one.
router.post('/logout', (req, res) => {
  res.cookie('access_token', '', { expires: new Date(0) });
  res.sendStatus(204);
});

module.exports = router;
// vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
