const express = require('express');
const { rateLimit } = require('express-rate-limit');
const { RateLimiterMemory } = require('rate-limiter-flexible');

const app = express();
const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });
const otpLimiter = new RateLimiterMemory({ points: 5, duration: 300 });

// A route-level limiter.
app.post('/login', loginLimiter, logIn);

// A limiter on the path prefix.
app.use('/password', rateLimit({ windowMs: 60 * 60 * 1000, limit: 5 }));
app.post('/password/reset', resetPassword);

// The handler consumes a limiter itself.
app.post('/verify-otp', async (req, res) => {
  try {
    await otpLimiter.consume(req.ip);
  } catch {
    return res.status(429).send('Too many attempts');
  }
  res.json(await checkOtp(req.body.code));
});

// Not a guessing target: a listing and a logout.
app.get('/account/login-history', listLogins);
app.post('/logout', logOut);

// A Python-style token bucket checked in the handler.
app.post('/signin', async (req, res) => {
  if (!(await TokenBucket.authorizeLogin(req.ip))) return res.sendStatus(429);
  res.json(await logIn(req.body));
});

// Starting a 2FA setup reads nothing from the request: there is no code to guess.
app.post('/account/2fa', async (_req, res) => res.json(await newTotpSecret(res.locals.user)));
