// Shared Postgres connection pool. It is created once, when this module is first required,
// and every route borrows clients from it.
const { Pool } = require('pg');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  idleTimeoutMillis: 30_000,
});

// An idle client can lose its connection (e.g. a database restart); log it instead of crashing.
pool.on('error', (err) => {
  console.error('Unexpected error on idle Postgres client', err);
});

module.exports = { pool };
