const express = require('express');
const passport = require('passport');
const bcrypt = require('bcrypt');

const app = express();

// Regenerates before signing in.
app.post('/login', (req, res, next) => {
  authenticate(req.body.email, req.body.password).then((user) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.userId = user.id;
      res.redirect('/');
    });
  }, next);
});

// passport's req.login() regenerates the session (passport >= 0.6).
app.post('/login/password', (req, res, next) => {
  passport.authenticate('local', (err, user) => {
    if (err || !user) return next(err);
    req.login(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      req.session.user = { id: user.id };
      res.redirect('/');
    });
  })(req, res, next);
});

// Session writes outside login: cart, theme, returnTo.
app.post('/cart', (req, res) => {
  req.session.cart = [...(req.session.cart || []), req.body.sku];
  req.session.theme = req.body.theme;
  res.sendStatus(204);
});

app.get('/account', (req, res) => {
  if (!req.session.userId) {
    req.session.returnTo = req.originalUrl;
    return res.redirect('/login');
  }
  res.render('account');
});

// Logging out clears the user.
app.post('/logout', (req, res) => {
  req.session.userId = null;
  res.redirect('/');
});

// Profile update keeps the signed-in user's session: no login here.
app.put('/profile', async (req, res) => {
  const user = await db.users.update(req.session.userId, req.body);
  req.session.user = user;
  res.json(user);
});

module.exports = app;
// vibeguard-disable-file missing-rate-limit -- this fixture is about session-fixation; missing-rate-limit has fixtures of its own
// vibeguard-disable-file missing-input-validation -- this fixture is about session-fixation; missing-input-validation has fixtures of its own
