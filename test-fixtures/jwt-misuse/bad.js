const express = require('express');
const jwt = require('jsonwebtoken');

const app = express();
const SECRET = process.env.SESSION_SIGNING_KEY;

function issueSession(user) {
  return jwt.sign({ sub: user.id, role: user.role }, SECRET, { algorithm: 'HS256', expiresIn: '2h' });
}

function requireUser(req, res, next) {
  const header = req.headers.authorization || '';
  const claims = jwt.decode(header.replace(/^Bearer /, '')); // expect: jwt-misuse
  if (!claims) return res.status(401).json({ error: 'unauthenticated' });
  req.user = { id: claims.sub, role: claims.role };
  next();
}

app.get('/admin/users', requireUser, async (req, res) => {
  const raw = req.cookies.session;
  const [, body] = raw.split('.');
  const session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')); // expect: jwt-misuse
  if (session.role !== 'admin') return res.sendStatus(403);
  res.json(await listUsers());
});

app.post('/internal/verify', (req, res) => {
  const payload = jwt.verify(req.body.token, SECRET, { algorithms: ['HS256', 'none'] }); // expect: jwt-misuse
  res.json(payload);
});

app.post('/api-keys', requireUser, (req, res) => {
  const apiKey = jwt.sign({ sub: req.user.id, scope: 'api' }, SECRET); // expect: jwt-misuse
  res.json({ apiKey });
});

function inviteToken(teamId) {
  const opts = { algorithm: 'HS256' };
  return jwt.sign({ team: teamId }, SECRET, opts); // expect: jwt-misuse
}

module.exports = { app, issueSession, inviteToken };
// vibeguard-disable-file missing-rate-limit -- this fixture is about jwt-misuse; missing-rate-limit has fixtures of its own
