const express = require('express');
const { db, mailer } = require('./db');
const crypto = require('crypto');

const app = express();

// Reset tokens, OTPs and session ids drawn from Math.random.
app.post('/password-reset', async (req, res) => {
  const resetToken = crypto.randomBytes(16).toString('hex'); // expect: insecure-randomness
  await db.users.update({ where: { email: req.body.email }, data: { resetToken } });
  res.sendStatus(202);
});

app.post('/login/code', async (req, res) => {
  const code = crypto.randomInt(100000, 1000000); // expect: insecure-randomness
  await mailer.send(req.body.email, `Your one-time code is ${code}`);
  await db.loginCodes.create({ data: { email: req.body.email, otp: code } });
  res.sendStatus(202);
});

function generateApiKey(length = 40) {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let result = '';
  for (let i = 0; i < length; i++) result += chars.charAt(crypto.randomInt(chars.length)); // expect: insecure-randomness
  return result;
}

function createSession(userId) {
  const id = crypto.randomBytes(6).toString('hex'); // expect: insecure-randomness
  return { id, userId, createdAt: Date.now() };
}

// A temporary password: the last eight characters keep their length after the fix.
function temporaryPassword() {
  return crypto.randomBytes(4).toString('hex'); // expect: insecure-randomness
}

app.post('/invites', async (req, res) => {
  res.cookie('invite_nonce', Math.random(), { httpOnly: true }); // expect: insecure-randomness
  res.json({ key: generateApiKey(), session: createSession(req.body.userId) });
});

module.exports = { app, temporaryPassword };
// vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-randomness; missing-rate-limit has fixtures of its own
