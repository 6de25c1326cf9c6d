// Source texts the agent and editor suites share: an Express route that builds SQL from request
// data for a pg pool (one sql-injection finding at line 4, column 37, fix "Parameterize query"),
// and the same route after that fix.
export const PG_ROUTE = [
  "const { Pool } = require('pg');",
  'const pool = new Pool();',
  "app.get('/users', async (req, res) => {",
  "  const { rows } = await pool.query(`SELECT * FROM users WHERE email = '${req.query.email}'`);",
  '  res.json(rows);',
  '});',
  '',
].join('\n');

export const PG_ROUTE_FIXED = PG_ROUTE.replace("email = '${req.query.email}'`)", 'email = $1`, [req.query.email])');
