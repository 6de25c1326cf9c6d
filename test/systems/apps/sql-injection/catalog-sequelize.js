// A catalogue on Sequelize (PostgreSQL or MariaDB by DATABASE_URL): raw queries built from the query string.
const express = require('express');
const { QueryTypes, Sequelize } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false, pool: { max: 4 } });
const app = express();

// GET /products?category=kitchen: released products of a category.
app.get('/products', async (req, res, next) => {
  try {
    const rows = await sequelize.query(`SELECT id, name FROM products WHERE released = true AND category = '${req.query.category}' ORDER BY id`, { type: QueryTypes.SELECT });
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

// GET /users?name=Ada: a user's public profile.
app.get('/users', async (req, res, next) => {
  try {
    const rows = await sequelize.query(`SELECT id, name FROM users WHERE name = '${req.query.name}' ORDER BY id`, { type: QueryTypes.SELECT });
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

app.use((err, req, res, next) => res.status(500).json({ error: err.message }));

module.exports = { app, sequelize };
