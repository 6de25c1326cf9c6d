// A JSON API authenticating with JWTs, written the way assistants often write it: tokens are signed
// without an expiry, and the middleware reads the claims with jwt.decode, which checks no signature.
const express = require('express');
const jwt = require('jsonwebtoken');

const app = express();
app.use(express.json());

const PASSWORDS = { ada: 'correct horse battery staple' };

app.post('/login', (req, res) => {
  const { user, password } = req.body;
  if (PASSWORDS[user] !== password) return res.status(401).json({ error: 'invalid credentials' });
  const token = jwt.sign({ sub: user, role: 'member' }, process.env.JWT_SECRET);
  res.json({ token });
});

function requireUser(req, res, next) {
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  try {
    const claims = jwt.decode(token);
    if (!claims || !claims.sub) return res.status(401).json({ error: 'unauthenticated' });
    req.user = claims;
    next();
  } catch {
    res.status(401).json({ error: 'unauthenticated' });
  }
}

app.get('/me', requireUser, (req, res) => {
  res.json({ sub: req.user.sub, role: req.user.role });
});

module.exports = app;
