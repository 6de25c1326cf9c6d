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

// Also, for the suites about finding identity (fingerprints, baselines, changed lines): two
// Express routes each building SQL from the query string, and a Flask-style Python search doing
// the same with an f-string.

export const TWO_QUERIES_JS = PG_ROUTE + [
  "app.get('/orders', async (req, res) => {",
  '  const { rows } = await pool.query(`SELECT * FROM orders WHERE id = ${req.query.id}`);',
  '  res.json(rows);',
  '});',
  '',
].join('\n');

export const SEARCH_PY = 'import sqlite3\nconn = sqlite3.connect("x.db")\n\ndef search(name):\n    return conn.execute(f"SELECT * FROM t WHERE name = \'{name}\'")\n';
