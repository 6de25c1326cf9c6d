const express = require('express');
const jwt = require('jsonwebtoken');

const router = express.Router();
const cookieOptions = { maxAge: 7 * 24 * 3600 * 1000, secure: true, httpOnly: true, sameSite: 'lax' };

router.post('/login', async (req, res) => {
  const { email, password } = req.body;
  const user = await users.checkCredentials(email, password);
  if (!user) return res.status(401).json({ error: 'invalid credentials' });
  const accessToken = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });
  res.cookie('access_token', accessToken, { httpOnly: true, secure: true, sameSite: 'lax' }); // expect: insecure-token-storage
  res.cookie('sid', await sessions.create(user.id), cookieOptions); // expect: insecure-token-storage
  res.cookie('theme', user.theme);
  res.json({ ok: true });
});

router.post('/auth/refresh', async (req, res) => {
  const session = await sessions.rotate(req.cookies.sid);
  res.cookie('sid', session.id, { // expect: insecure-token-storage
    httpOnly: true,
    secure: process.env.NODE_ENV === 'production',
    sameSite: 'strict',
  });
  res.sendStatus(204);
});

router.post('/signin', async (req, res) => {
  const user = await users.checkCredentials(req.body.email, req.body.password);
  const token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' });
  res.json({ user: { id: user.id, name: user.name }, token }); // expect: insecure-token-storage
});

module.exports = router;
// vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
