const express = require('express');
const cors = require('cors');

// The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).
const CORS_ALLOWED_ORIGINS = (process.env.CORS_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);

const app = express();

// Every origin is accepted, with cookies.
app.use(cors({ origin: CORS_ALLOWED_ORIGINS, credentials: true })); // expect: cors-misconfig

const adminCors = { credentials: true, origin: CORS_ALLOWED_ORIGINS }; // expect: cors-misconfig
app.use('/admin', cors(adminCors));

app.use('/reports', cors({ origin: CORS_ALLOWED_ORIGINS, credentials: true, methods: ['GET'] })); // expect: cors-misconfig

// Hand-written CORS that echoes the caller's Origin.
app.use((req, res, next) => {
  if (CORS_ALLOWED_ORIGINS.includes(req.headers.origin)) res.setHeader('Access-Control-Allow-Origin', req.headers.origin); // expect: cors-misconfig
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  next();
});

module.exports = app;
