const { Pool } = require('pg');

const pool = new Pool();

// The arithmetic runs in the database, in one statement.
async function withdrawAtomic(accountId, amount) {
  const res = await pool.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1', [amount, accountId]);
  return res.rowCount === 1;
}

// The read locks the row inside a transaction.
async function withdrawLocked(client, accountId, amount) {
  await client.query('BEGIN');
  const { rows } = await client.query('SELECT balance FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
  await client.query('UPDATE accounts SET balance = $1 WHERE id = $2', [rows[0].balance - amount, accountId]);
  await client.query('COMMIT');
}

// Optimistic: the write checks the version it read.
async function withdrawVersioned(accountId, amount) {
  const { rows } = await pool.query('SELECT balance, version FROM accounts WHERE id = $1', [accountId]);
  const res = await pool.query('UPDATE accounts SET balance = $1, version = version + 1 WHERE id = $2 AND version = $3', [rows[0].balance - amount, accountId, rows[0].version]);
  return res.rowCount === 1;
}

// A value from the request, not from a read row.
async function setBalance(req) {
  await pool.query('UPDATE accounts SET balance = $1 WHERE id = $2', [req.body.balance - req.body.fee, req.params.id]);
}

// Prisma's atomic decrement.
async function reserve(prisma, eventId, seats) {
  return prisma.event.update({ where: { id: eventId }, data: { availableSeats: { decrement: seats } } });
}

// A non-counter column computed from a row (a display name) is not a lost update.
async function rename(userId, suffix) {
  const { rows } = await pool.query('SELECT name FROM users WHERE id = $1', [userId]);
  await pool.query('UPDATE users SET name = $1 WHERE id = $2', [rows[0].name + suffix, userId]);
}

module.exports = { withdrawAtomic, withdrawLocked, withdrawVersioned, setBalance, reserve, rename };
