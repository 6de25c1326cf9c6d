const { Pool } = require('pg');
const knex = require('knex')({ client: 'pg' });

const pool = new Pool();

// One atomic statement: the database hands each row to one worker.
async function claimAtomically() {
  const { rows } = await pool.query(
    "UPDATE jobs SET status = 'running' WHERE id = (SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *",
  );
  return rows[0];
}

// Locked with SKIP LOCKED inside a transaction.
async function claimLocked(client) {
  await client.query('BEGIN');
  const { rows } = await client.query("SELECT id FROM jobs WHERE status = 'pending' LIMIT 5 FOR UPDATE SKIP LOCKED");
  for (const r of rows) await client.query("UPDATE jobs SET status = 'running' WHERE id = $1", [r.id]);
  await client.query('COMMIT');
  return rows;
}

// Compare-and-set: only one worker's UPDATE still finds the row pending.
async function claimOptimistic() {
  const { rows } = await pool.query("SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1");
  if (!rows[0]) return null;
  const res = await pool.query("UPDATE jobs SET status = 'running' WHERE id = $1 AND status = 'pending'", [rows[0].id]);
  return res.rowCount === 1 ? rows[0] : null;
}

// Knex with a skip-locked lock.
async function claimWithKnex() {
  return knex.transaction(async (trx) => {
    const job = await trx('jobs').where({ status: 'pending' }).forUpdate().skipLocked().first();
    if (job) await trx('jobs').where({ id: job.id }).update({ status: 'running' });
    return job;
  });
}

// Reads pending rows only to show them: nothing marks them taken.
async function listPending(req, res) {
  const { rows } = await pool.query("SELECT id, created_at FROM jobs WHERE status = 'pending' ORDER BY id");
  res.json(rows);
}

// Updates a different table after reading pending orders.
async function remindCustomers() {
  const { rows } = await pool.query("SELECT id, email FROM orders WHERE status = 'pending'");
  for (const o of rows) await pool.query("UPDATE customers SET status = 'reminded' WHERE email = $1", [o.email]);
}

module.exports = { claimAtomically, claimLocked, claimOptimistic, claimWithKnex, listPending, remindCustomers };

// Accepting one invitation looked up by its id and token checks a record; no worker picks it from a queue.
async function acceptInvite(prisma, memberId, token) {
  const member = await prisma.organizationMember.findFirst({ where: { id: memberId, inviteToken: token, status: 'pending' } });
  if (!member) return null;
  return prisma.organizationMember.update({ where: { id: member.id }, data: { status: 'active' } });
}

module.exports.acceptInvite = acceptInvite;

// Cancelling every pending order of one customer: no worker takes them from a queue, and a second
// cancel changes nothing more.
async function cancelMyOrders(req, res) {
  const { rows } = await pool.query("SELECT id FROM orders WHERE status = 'pending' AND customer_id = $1", [req.user.id]);
  for (const o of rows) await pool.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [o.id]);
  res.json({ cancelled: rows.length });
}

module.exports.cancelMyOrders = cancelMyOrders;
