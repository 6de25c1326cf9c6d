const express = require('express');
const jwt = require('jsonwebtoken');

const app = express();
const SECRET = process.env.SESSION_SIGNING_KEY;

// A secret restricts jsonwebtoken to the HS* algorithms: no algorithms list needed.
function requireUser(req, res, next) {
  try {
    req.user = jwt.verify(req.headers.authorization.slice(7), SECRET);
    next();
  } catch {
    res.status(401).end();
  }
}

// Decoding after a verify in the same flow, to show the claims.
app.get('/session', (req, res) => {
  const token = req.cookies.session;
  jwt.verify(token, SECRET, { algorithms: ['HS256'] });
  const claims = jwt.decode(token);
  res.json({ expiresAt: claims.exp, issuedAt: claims.iat });
});

// Reading the header to pick the key, before verifying.
async function verifyWithKeySet(token) {
  const { kid } = jwt.decode(token, { complete: true }).header;
  return jwt.verify(token, await publicKeyFor(kid), { algorithms: ['RS256'] });
}

// The header names the key; the verify runs in the key lookup's callback.
function verifyFromKeySet(token, done) {
  const { header } = jwt.decode(token, { complete: true }) || {};
  const claims = jwt.decode(token);
  keySet.getSigningKey(header && header.kid, (err, key) => {
    if (err) return done(err);
    jwt.verify(token, key.getPublicKey(), { algorithms: ['RS256'], issuer: claims && claims.iss }, done);
  });
}

// The expiry travels in the payload.
function issueSession(user) {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ sub: user.id, exp: now + 3600 }, SECRET);
}

function issueShortLived(user) {
  return jwt.sign({ sub: user.id }, SECRET, { expiresIn: '15m' });
}

// Options and payload built elsewhere: nothing to judge here.
function issueWith(claims, options) {
  return jwt.sign(claims, SECRET, options);
}

// Browser-side helper reading the expiry to refresh early: it decides nothing on the server.
function msUntilExpiry(accessToken) {
  const claims = JSON.parse(atob(accessToken.split('.')[1]));
  return claims.exp * 1000 - Date.now();
}

// A non-JWT split: a version string.
app.get('/version', (req, res) => {
  const minor = JSON.parse(req.query.v.split('.')[1]);
  res.json({ minor });
});

module.exports = { app, requireUser, verifyWithKeySet, verifyFromKeySet, issueSession, issueShortLived, issueWith, msUntilExpiry };
