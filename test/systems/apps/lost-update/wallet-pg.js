// A wallet withdrawal, as assistants write it: read the balance, subtract in code, write it back.
async function withdraw(pool, accountId, amount) {
  const { rows } = await pool.query('SELECT balance FROM accounts WHERE id = $1', [accountId]);
  const next = rows[0].balance - amount;
  if (next < 0) throw new Error('insufficient funds');
  await pool.query('UPDATE accounts SET balance = $1 WHERE id = $2', [next, accountId]);
}

module.exports = { withdraw };
