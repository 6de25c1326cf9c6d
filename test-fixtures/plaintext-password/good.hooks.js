const crypto = require('crypto');
const express = require('express');
const Account = require('./modules/account-model');
const { pool } = require('./db');

const router = express.Router();

// The model's pre-save hook hashes the password: handing it over as it came is right here.
router.post('/accounts', async (req, res) => {
  const { email, password } = req.body;
  const account = await Account.create({ email, password });
  res.status(201).json({ id: account.id });
});

router.post('/accounts/:id/password', async (req, res) => {
  const account = await Account.findById(req.params.id);
  account.password = req.body.password;
  await account.save();
  res.sendStatus(204);
});

// The database hashes it: the SQL passes the password to crypt() / a function that does.
router.post('/db-accounts', async (req, res) => {
  await pool.query("INSERT INTO accounts (email, password_hash) VALUES ($1, crypt($2, gen_salt('bf')))", [req.body.email, req.body.password]);
  await pool.query('SELECT app.register_account($1, $2)', [req.body.email, req.body.password]);
  res.sendStatus(201);
});

// A breached-password check: only the first five characters of the sha1 leave the process.
async function isBreached(password) {
  const digest = crypto.createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  const body = await (await fetch(`https://breach-check.example/range/${digest.slice(0, 5)}`, { signal: AbortSignal.timeout(5000) })).text();
  return body.includes(digest.slice(5));
}

module.exports = { router, isBreached };
