// Data-access helpers the route modules import: each call opens and closes its own connections.
const { Client, Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL }); // expect: connection-per-request

async function query(text, params) {
  const client = new Client({ connectionString: process.env.DATABASE_URL }); // expect: connection-per-request
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

async function findOrder(id) {
  const { rows } = await pool.query('SELECT id, total FROM orders WHERE id = $1', [id]);
  return rows[0] ?? null;
}

// A factory hands its pool to the caller, who keeps it: not a per-call connection.
function createPool(connectionString) {
  return new Pool({ connectionString, max: 10 });
}

module.exports = { query, findOrder, createPool };
