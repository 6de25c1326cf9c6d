const express = require('express');
const passport = require('passport');

const app = express();
const CLIENT_URL = process.env.CLIENT_URL;

app.get('/auth/google/callback', passport.authenticate('google', { session: false }), (req, res) => {
  const tokens = generateTokens(req.user);
  res.redirect(`${CLIENT_URL}/auth/success?accessToken=${tokens.accessToken}&refreshToken=${tokens.refreshToken}`); // expect: token-in-url
});

app.get('/auth/github/callback', passport.authenticate('github', { session: false }), (req, res) => {
  const redirectUrl = `${CLIENT_URL}/oauth-callback?provider=github&token=${req.user.token}`;
  return res.redirect(redirectUrl); // expect: token-in-url
});

module.exports = app;
