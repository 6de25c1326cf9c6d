const fs = require('fs');
const { Pool } = require('pg');

const pool = new Pool();

async function deleteUser(id) {
  try {
    await pool.query('DELETE FROM users WHERE id = $1', [id]);
  } catch (err) {
    throw new Error(`could not delete user ${id}: ${err.message}`);
  }
}

async function deleteUserOrReport(req, res) {
  try {
    await pool.query('DELETE FROM users WHERE id = $1', [req.user.id]);
  } catch (err) {
    return res.status(500).json({ error: 'deletion failed' });
  }
  res.json({ deleted: true });
}

async function warmCache() {
  try {
    await pool.query('SELECT 1');
  } catch {
    // The pool retries on the first real query; warming is only an optimisation.
  }
}

function parseMaybeJson(text) {
  try {
    return JSON.parse(text);
  } catch {}
  return text;
}

function removeTemp(file) {
  try { fs.unlinkSync(file); } catch {}
}

async function closePool() {
  try {
    await pool.end();
  } catch (err) {}
}

// Fire and forget: nobody waits for the touch, the next login writes it again.
function touchLastSeen(id) {
  void pool.query('UPDATE users SET last_seen = now() WHERE id = $1', [id]).catch(() => {});
}

// Per-item isolation in a batch: one failing row is logged and the others go on.
async function syncAll(rows) {
  for (const row of rows) {
    try {
      await pool.query('UPDATE accounts SET synced = true WHERE id = $1', [row.id]);
    } catch (err) {
      console.error('sync failed for', row.id, err);
    }
  }
  return { done: true };
}

// Logs and tells the caller it failed.
async function charge(req, res) {
  try {
    await pool.query('INSERT INTO charges (user_id) VALUES ($1)', [req.user.id]);
  } catch (err) {
    console.error(err);
    return res.status(502).json({ error: 'charge failed' });
  }
  return res.json({ ok: true });
}

module.exports = { deleteUser, deleteUserOrReport, warmCache, parseMaybeJson, removeTemp, closePool, touchLastSeen, syncAll, charge };
