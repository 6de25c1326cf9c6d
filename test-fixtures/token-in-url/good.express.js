const crypto = require('node:crypto');
const express = require('express');
const jwt = require('jsonwebtoken');

const router = express.Router();
const APP_URL = process.env.APP_URL;
const ISSUER = process.env.OIDC_ISSUER;

// URLs carrying only non-secret ids and view state.
router.post('/orders', async (req, res) => {
  const order = await placeOrder(req.user, req.body.sku);
  res.redirect(`/orders/${order.id}`);
});

router.get('/users/:userId/activity', (req, res) => {
  res.redirect(`/activity?userId=${req.params.userId}&page=2`);
});

// OAuth authorize redirect: client_id, redirect_uri, response_type=code, scope and state are the protocol.
router.get('/auth/github', (req, res) => {
  const state = crypto.randomBytes(16).toString('hex');
  res.cookie('oauth_state', state, { httpOnly: true, secure: true, sameSite: 'lax' });
  const params = new URLSearchParams({
    client_id: process.env.GITHUB_CLIENT_ID,
    redirect_uri: `${APP_URL}/auth/github/callback`,
    response_type: 'code',
    scope: 'read:user',
    state,
  });
  res.redirect(`https://github.com/login/oauth/authorize?${params}`);
});

// Forwarding the one-time authorization code and state to the page that completes the flow.
router.get('/auth/relay', (req, res) => {
  const { code, state } = req.query;
  res.redirect(`/auth/finish?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);
});

// The session token goes into an httpOnly cookie; the redirect URL stays clean.
router.get('/auth/github/callback', async (req, res) => {
  const user = await finishOAuth(req.query.code, req.query.state);
  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });
  res.cookie('access_token', token, { httpOnly: true, secure: true, sameSite: 'lax' });
  res.redirect(`${APP_URL}/app`);
});

// OIDC logout: id_token_hint is how the spec identifies the session to end.
router.post('/auth/logout', (req, res) => {
  const idToken = req.cookies.id_token;
  res.clearCookie('id_token');
  res.redirect(`${ISSUER}/logout?id_token_hint=${idToken}&post_logout_redirect_uri=${encodeURIComponent(APP_URL)}`);
});

// A password-reset link sent by email carries a single-use token by design.
async function sendResetEmail(user, resetToken) {
  const link = `${APP_URL}/reset-password?token=${resetToken}`;
  await mailer.send({ to: user.email, subject: 'Reset your password', html: `<a href="${link}">Reset password</a>` });
}

// The page an emailed verification link lands on forwards to the form with the same one-time token.
router.get('/emails/confirm/:token', (req, res) => {
  res.redirect(`/verify-email?token=${req.params.token}`);
});

// Paging through an upstream API and CSRF tokens in forms are not login credentials.
router.get('/feed', (req, res) => {
  const nextPageToken = req.query.cursor;
  res.redirect(`/feed?pageToken=${nextPageToken}`);
});

router.get('/account/portal', async (req, res) => {
  const session = await stripe.billingPortal.sessions.create({ customer: req.user.stripeCustomerId, return_url: `${APP_URL}/account` });
  res.redirect(303, session.url);
});

router.get('/checkout/done', async (req, res) => {
  const session = await stripe.checkout.sessions.retrieve(req.query.session_id);
  res.redirect(`/orders/${session.metadata.orderId}?session_id=${session.id}`);
});

module.exports = { router, sendResetEmail };
