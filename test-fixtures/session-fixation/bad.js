const express = require('express');
const bcrypt = require('bcrypt');

const app = express();

app.post('/login', async (req, res) => {
  const { email, password } = req.body;
  const user = await db.users.findOne({ email });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    return res.status(401).render('login', { error: 'Wrong email or password' });
  }
  const returnTo = req.session.returnTo || '/';
  req.session.loginAt = Date.now();
  req.session.userId = user.id; // expect: session-fixation
  req.session.role = user.role;
  res.redirect(returnTo);
});

app.post('/2fa/verify', (req, res, next) => {
  if (!totp.check(req.body.code, req.session.pendingSecret)) return res.status(401).end();
  req.session.authenticated = true; // expect: session-fixation
  res.redirect('/dashboard');
});

function oauthCallback(req, res) {
  exchangeCode(req.query.code).then((profile) => {
    req.session.user = { id: profile.id, name: profile.name }; // expect: session-fixation
    res.redirect('/');
  });
}

app.get('/auth/github/callback', oauthCallback);

module.exports = app;

app.post('/login/legacy', (req, res, next) => {
  db.users.findOne({ email: req.body.email }, (err, user) => {
    if (err) return next(err);
    if (user && user.password === req.body.password) {
      req.session.user = { id: user.id }; // expect: session-fixation
      return res.redirect('/');
    }
    res.status(401).render('login');
  });
});

app.post('/sso/finish', (req, res) => {
  const profile = req.ssoProfile;
  if (profile) {
    req.session.userId = profile.id; // expect: session-fixation
  }
  res.redirect('/');
});
// vibeguard-disable-file missing-rate-limit -- this fixture is about session-fixation; missing-rate-limit has fixtures of its own
