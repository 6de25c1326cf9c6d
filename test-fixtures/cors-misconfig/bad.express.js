const express = require('express');
const cors = require('cors');

const app = express();

// Every origin is accepted, with cookies.
app.use(cors({ origin: (origin, callback) => callback(null, true), credentials: true })); // expect: cors-misconfig

const adminCors = { credentials: true, origin: true }; // expect: cors-misconfig
app.use('/admin', cors(adminCors));

app.use('/reports', cors({ credentials: true, methods: ['GET'] })); // expect: cors-misconfig

// Hand-written CORS that echoes the caller's Origin.
app.use((req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin); // expect: cors-misconfig
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  next();
});

module.exports = app;
