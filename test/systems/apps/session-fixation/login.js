// Sign-in with express-session, written the way assistants often write it: the user id goes into
// the session the visitor already had, so a session id planted before login is signed in after it.
const express = require('express');
const session = require('express-session');

const app = express();
app.use(express.json());
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: true }));

const USERS = { 'ada@example.com': { id: 42, password: 'correct horse battery staple', otp: '123456' } };

async function checkPassword(email, password) {
  const user = USERS[email];
  return user && user.password === password ? user : null;
}

// Any page a visitor (or an attacker preparing a session id) opens first.
app.get('/welcome', (req, res) => {
  req.session.visits = (req.session.visits || 0) + 1;
  res.json({ visits: req.session.visits });
});

app.post('/login', async (req, res) => {
  const user = await checkPassword(req.body.email, req.body.password);
  if (!user) return res.status(401).json({ error: 'invalid credentials' });
  req.session.userId = user.id;
  res.json({ ok: true });
});

app.post('/otp/verify', (req, res, next) => {
  const user = USERS[req.body.email];
  if (!user || req.body.code !== user.otp) return res.status(401).json({ error: 'wrong code' });
  req.session.userId = user.id;
  res.json({ ok: true });
});

app.get('/me', (req, res) => {
  if (!req.session.userId) return res.status(401).json({ error: 'not signed in' });
  res.json({ userId: req.session.userId });
});

module.exports = app;
