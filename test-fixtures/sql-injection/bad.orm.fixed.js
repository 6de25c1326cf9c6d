const knex = require('knex')({ client: 'pg' });
const { Sequelize, QueryTypes } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL);

async function activeUsers(req, res) {
  const rows = await knex('users').whereRaw(`lower(email) = ?`, [req.query.email]); // expect: sql-injection
  res.json(rows);
}

async function stats(req, res) {
  const since = req.query.since;
  const rows = await sequelize.query(`SELECT count(*) FROM orders WHERE created_at > ?`, { replacements: [since], type: QueryTypes.SELECT }); // expect: sql-injection
  res.json(rows);
}

async function raw(req, res) {
  const result = await knex.raw('SELECT * FROM audit WHERE actor = ?', [req.params.actor]); // expect: sql-injection
  res.json(result.rows);
}

module.exports = { activeUsers, stats, raw };
