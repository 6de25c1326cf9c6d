#!/usr/bin/env node
// A one-off backfill: it runs once from a terminal, so its pools are created once.
const { Pool } = require('pg');

async function backfillTenant(tenantUrl) {
  const pool = new Pool({ connectionString: tenantUrl, max: 2 });
  try {
    await pool.query("UPDATE orders SET currency = 'EUR' WHERE currency IS NULL");
  } finally {
    await pool.end();
  }
}

async function main() {
  for (const url of process.env.TENANT_URLS.split(',')) {
    await backfillTenant(url);
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
