// A shop API: listing orders needs the bearer token, but the refunds route was added without the guard.
const express = require('express');

const app = express();
app.use(express.json());

function requireAuth(req, res, next) {
  if (req.headers.authorization !== `Bearer ${process.env.API_TOKEN}`) return res.status(401).json({ error: 'unauthorized' });
  next();
}

app.get('/orders', requireAuth, (req, res) => res.json([{ id: 7, total: 4200 }]));

app.post('/admin/refunds', (req, res) => {
  res.json({ refunded: req.body.orderId });
});

module.exports = app;
