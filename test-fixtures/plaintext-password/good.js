const bcrypt = require('bcrypt');
const crypto = require('crypto');
const express = require('express');
const { db } = require('./db');

const app = express();

// bcrypt on both ends.
app.post('/signup', async (req, res) => {
  const { email, password, passwordConfirmation } = req.body;
  // Comparing the confirmation field before hashing is how sign-up forms work.
  if (password !== passwordConfirmation) return res.status(400).json({ error: 'passwords differ' });
  if (password.length < 12) return res.status(400).json({ error: 'too short' });
  const passwordHash = await bcrypt.hash(password, 12);
  await db.users.create({ email, passwordHash });
  res.sendStatus(201);
});

app.post('/login', async (req, res) => {
  const user = await db.users.findOne({ where: { email: req.body.email } });
  if (!user || !(await bcrypt.compare(req.body.password, user.passwordHash))) return res.sendStatus(401);
  res.sendStatus(204);
});

// scrypt with a salt is a password hash.
async function hashWithScrypt(password) {
  const salt = crypto.randomBytes(16);
  return new Promise((resolve, reject) => crypto.scrypt(password, salt, 64, (err, key) => (err ? reject(err) : resolve(`${salt.toString('hex')}:${key.toString('hex')}`))));
}

// A password already hashed by the caller, stored under a password name.
app.post('/import', async (req, res) => {
  const password = await hashWithScrypt(req.body.password);
  await db.users.create({ email: req.body.email, password });
  res.sendStatus(201);
});

// Checks about a password, not of it.
app.post('/password-rules', (req, res) => {
  const { password } = req.body;
  res.json({ long: password.length >= 12, sameAsEmail: password === req.body.email, empty: password === '' });
});

// sha256 of a file, not of a password; an API token digest stored for lookup.
function fileDigest(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

module.exports = { app, fileDigest };
// vibeguard-disable-file missing-rate-limit -- this fixture is about plaintext-password; missing-rate-limit has fixtures of its own
