const express = require('express');
const { rateLimit } = require('express-rate-limit');

const authLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });

const app = express();

app.post('/login', authLimiter, async (req, res) => { // expect: missing-rate-limit
  const user = await users.checkPassword(req.body.email, req.body.password);
  if (!user) return res.status(401).json({ error: 'invalid credentials' });
  res.json({ token: sign(user) });
});

app.post('/api/auth/forgot-password', authLimiter, sendResetEmail); // expect: missing-rate-limit
app.post('/verify-otp', authLimiter, verifyOtp); // expect: missing-rate-limit

// Listing pages are not guessing targets.
app.get('/account/login-history', listLogins);
app.get('/login', (req, res) => res.render('login'));

// passport reads the password in its middleware; the handler only redirects.
app.post('/signin', authLimiter, passport.authenticate('local'), (_req, res) => res.redirect('/')); // expect: missing-rate-limit
// vibeguard-disable-file insecure-token-storage -- this fixture is about missing-rate-limit; insecure-token-storage has fixtures of its own
