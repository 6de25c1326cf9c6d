const { Pool } = require('pg');
const knex = require('knex')({ client: 'pg' });

const pool = new Pool();

// Primary key, unique column, and the leading column of a composite index.
const byId = (id) => pool.query('SELECT * FROM orders WHERE id = $1', [id]);
const byEmail = (email) => pool.query('SELECT id FROM customers WHERE email = $1', [email]);
const ofDay = (from, to) => pool.query('SELECT id FROM orders WHERE placed_at >= $1 AND placed_at < $2', [from, to]);

// Bounded by an indexed column in the same AND: the index narrows the rows first.
const mineOpen = (id) => pool.query("SELECT id FROM orders WHERE id = $1 AND status = 'open'", [id]);

// A table the schema does not define, and branches of an OR.
const audit = (actor) => pool.query('SELECT * FROM audit_log WHERE actor = $1', [actor]);
const either = (a, b) => pool.query('SELECT id FROM orders WHERE status = $1 OR total_cents > $2', [a, b]);

// Writes without a WHERE, and a knex lookup by key.
const add = (s) => pool.query('INSERT INTO orders (customer_id, status, total_cents) VALUES ($1, $2, 0)', [1, s]);
const one = (id) => knex('orders').where({ id }).first();
const day = (d) => knex('orders').where('placed_at', '>=', d);

module.exports = { byId, byEmail, ofDay, mineOpen, audit, either, add, one, day };
