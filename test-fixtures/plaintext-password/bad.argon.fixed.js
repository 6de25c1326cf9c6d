const argon2 = require('argon2');
const { db } = require('./db');

// Accounts hashed with argon2 elsewhere; this import path stores the password as it came.
async function importAccount(row) {
  await db.accounts.insert({ email: row.email, password: await argon2.hash(row.password) }); // expect: plaintext-password
}

async function signIn(email, password) {
  const account = await db.accounts.findOne({ email });
  return account && await argon2.verify(account.password, password); // expect: plaintext-password
}

async function rotate(account, password) {
  return db.accounts.update({ id: account.id }, { passwordHash: await argon2.hash(password) });
}

module.exports = { importAccount, signIn, rotate };
