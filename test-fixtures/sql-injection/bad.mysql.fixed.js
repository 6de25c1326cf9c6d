const mysql = require('mysql2/promise');
const db = mysql.createPool({ host: 'localhost', user: 'app', database: 'shop' });

async function findProducts(req, res) {
  const category = req.query.category;
  const minPrice = req.query.min;
  const [rows] = await db.execute("SELECT * FROM products WHERE category = ? AND price >= ?", [category ?? null, minPrice ?? null]); // expect: sql-injection
  res.json(rows);
}

function legacyLookup(connection, name, cb) {
  connection.query(`SELECT * FROM customers WHERE name = ?`, [name], cb); // expect: sql-injection
}

module.exports = { findProducts, legacyLookup };
