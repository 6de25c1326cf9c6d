const { Pool } = require('pg');

const pool = new Pool();

// A soft delete that anonymises the row.
async function softDelete(userId) {
  await pool.query("UPDATE users SET email = concat('deleted-', id), deleted_at = now() WHERE id = $1", [userId]);
}

// Every referencing table deleted, in one transaction.
async function eraseUser(userId) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE user_id = $1)', [userId]);
    await client.query('DELETE FROM orders WHERE user_id = $1', [userId]);
    await client.query('DELETE FROM users WHERE id = $1', [userId]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

// Deleting rows that are not accounts, and a table whose references cascade.
async function logout(sessionId) {
  await pool.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
}
async function cancel(orderId) {
  await pool.query('DELETE FROM order_items WHERE order_id = $1', [orderId]);
}

module.exports = { softDelete, eraseUser, logout, cancel };
