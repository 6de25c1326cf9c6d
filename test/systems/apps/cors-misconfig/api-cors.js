// An API for a single-page app on another origin, with cookie sessions.
const express = require('express');
const cors = require('cors');

const app = express();
app.use(cors({ origin: true, credentials: true }));

app.get('/me', (req, res) => {
  res.json({ user: 'ada', cookie: req.headers.cookie ?? null });
});

module.exports = app;
