// Sign-up on Sequelize (PostgreSQL): the handler checks two fields, then stores the whole body.
const express = require('express');
const { DataTypes, Sequelize } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false, pool: { max: 2 } });
const User = sequelize.define('User', {
  email: { type: DataTypes.STRING, allowNull: false },
  password: { type: DataTypes.STRING, allowNull: false },
  isAdmin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
}, { tableName: 'users', timestamps: false });

const app = express();
app.use(express.json());

app.post('/signup', async (req, res, next) => {
  try {
    const { email, password } = req.body;
    if (!email || !password) return res.status(400).json({ error: 'email and password required' });
    const user = await User.create(req.body);
    res.status(201).json({ id: user.id });
  } catch (err) {
    next(err);
  }
});

module.exports = { app, sequelize };
