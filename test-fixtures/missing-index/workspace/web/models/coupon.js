const { DataTypes } = require('sequelize');
const sequelize = require('./db');

const Coupon = sequelize.define('Coupon', {
  code: { type: DataTypes.STRING, allowNull: false, unique: true },
  campaign: { type: DataTypes.STRING, allowNull: false },
  expiresAt: { type: DataTypes.DATE, field: 'expires_at' },
}, {
  indexes: [{ fields: ['expiresAt'] }],
});

module.exports = Coupon;
