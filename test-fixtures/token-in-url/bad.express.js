const express = require('express');
const jwt = require('jsonwebtoken');

const router = express.Router();
const APP_URL = process.env.APP_URL;

function signSession(user) {
  return jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });
}

// The OAuth callback hands the session to the single-page app in the URL fragment.
router.get('/auth/github/callback', async (req, res) => {
  const user = await finishOAuth(req.query.code, req.query.state);
  const accessToken = signSession(user);
  res.redirect(`${APP_URL}/app#access_token=${accessToken}&token_type=bearer`); // expect: token-in-url
});

router.get('/sso/return', async (req, res) => {
  const t = jwt.sign({ sub: req.user.id }, process.env.JWT_SECRET, { expiresIn: '15m' });
  res.redirect(302, `/dashboard?token=${encodeURIComponent(t)}&welcome=1`); // expect: token-in-url
});

router.post('/session/rotate', async (req, res) => {
  const { refreshToken } = await rotateSession(req.user);
  const next = '/app?tab=home&refresh_token=' + refreshToken;
  res.redirect(next); // expect: token-in-url
});

router.get('/auth/google/done', async (req, res) => {
  const idToken = await exchangeGoogleCode(req.query.code);
  const target = new URL('/welcome', APP_URL);
  target.searchParams.set('id_token', idToken);
  target.searchParams.set('source', 'google');
  res.redirect(target.toString()); // expect: token-in-url
});

module.exports = router;
