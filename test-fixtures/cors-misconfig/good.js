const express = require('express');
const cors = require('cors');

const app = express();
const ALLOWED = ['https://app.example.com', 'https://admin.example.com'];

// Explicit allowlists.
app.use(cors({ origin: ALLOWED, credentials: true }));
app.use('/v2', cors({ origin: process.env.FRONTEND_ORIGIN, credentials: true }));
app.use('/v3', cors({ origin: /\.example\.com$/, credentials: true }));
app.use('/v4', cors({
  credentials: true,
  origin(origin, callback) {
    if (!origin || ALLOWED.includes(origin)) return callback(null, true);
    return callback(new Error('origin not allowed'));
  },
}));

// A public API without credentials may allow every origin.
app.use('/public', cors());
app.use('/feeds', cors({ origin: '*' }));

// The echoed origin is checked against the list first.
app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin && ALLOWED.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
  }
  res.setHeader('Access-Control-Allow-Methods', 'GET');
  next();
});

module.exports = app;
