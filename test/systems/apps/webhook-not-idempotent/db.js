// The shared node-postgres pool the webhook fixture (test-fixtures/webhook-not-idempotent/bad.express.js) imports.
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

module.exports = { pool };
