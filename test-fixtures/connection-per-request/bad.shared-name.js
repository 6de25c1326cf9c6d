const { Pool } = require('pg')

const pool = new Pool({ connectionString: process.env.DATABASE_URL })

// The reports replica: a different database, so it needs its own shared pool.
app.get('/reports/revenue', async (req, res) => {
  const pool = new Pool({ connectionString: process.env.REPORTS_DATABASE_URL }) // expect: connection-per-request
  const { rows } = await pool.query('SELECT day, revenue FROM daily_revenue WHERE day >= $1', [req.query.from])
  pool.end()
  res.json(rows)
})

// The same database as the module-level pool: the fix reuses it.
app.get('/orders/:id', async (req, res) => {
  const db = new Pool({ connectionString: process.env.DATABASE_URL }) // expect: connection-per-request
  const { rows } = await db.query('SELECT id, total FROM orders WHERE id = $1', [req.params.id])
  await db.end()
  res.json(rows[0] ?? null)
})
