const crypto = require('node:crypto');
const express = require('express');

const config = require('../config');
const { pool } = require('../db');
const { issueToken } = require('./auth');

const router = express.Router();

const GITHUB_TIMEOUT_MS = 10_000;

function sameState(expected, actual) {
  const a = Buffer.from(String(expected ?? ''));
  const b = Buffer.from(String(actual ?? ''));
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

// Step 1: send the user to GitHub. The random state ties the callback to this browser.
router.get('/github', (req, res) => {
  const state = crypto.randomBytes(16).toString('hex');
  res.cookie('oauth_state', state, { httpOnly: true, secure: true, sameSite: 'lax', maxAge: 10 * 60 * 1000 });

  const params = new URLSearchParams({
    client_id: config.github.clientId,
    redirect_uri: config.github.callbackUrl,
    scope: 'read:user user:email',
    state,
  });
  res.redirect(`https://github.com/login/oauth/authorize?${params}`);
});

// Step 2: GitHub redirects back with ?code=...&state=...; exchange the code for an access token,
// find or create the user, then hand our own session token to the single-page app.
router.get('/github/callback', async (req, res) => {
  const { code, state } = req.query;
  if (!code || !sameState(req.cookies.oauth_state, state)) {
    return res.redirect('/login?error=oauth_state_mismatch');
  }
  res.clearCookie('oauth_state');

  try {
    const tokenResponse = await fetch('https://github.com/login/oauth/access_token', {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        client_id: config.github.clientId,
        client_secret: config.github.clientSecret,
        code,
      }),
      signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
    });
    const { access_token: githubToken } = await tokenResponse.json();

    const profileResponse = await fetch('https://api.github.com/user', {
      headers: { Authorization: `Bearer ${githubToken}`, Accept: 'application/vnd.github+json' },
      signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
    });
    const profile = await profileResponse.json();

    const { rows } = await pool.query(
      `INSERT INTO users (github_id, email, name)
       VALUES ($1, $2, $3)
       ON CONFLICT (github_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name
       RETURNING id, email`,
      [profile.id, profile.email, profile.name],
    );

    const token = issueToken(rows[0]);
    // The SPA picks the token up from the URL fragment on load and stores it.
    res.redirect(`${config.appUrl}/app#access_token=${token}`);
  } catch (err) {
    console.error('GitHub sign-in failed', err);
    res.redirect('/login?error=oauth_failed');
  }
});

module.exports = router;
