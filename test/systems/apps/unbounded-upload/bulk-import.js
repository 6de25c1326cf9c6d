// A bulk import endpoint that accepts large JSON documents.
const express = require('express');

const app = express();
app.use(express.json({ limit: '100mb' }));

app.post('/bulk', (req, res) => {
  res.json({ items: Array.isArray(req.body.items) ? req.body.items.length : 0 });
});

module.exports = app;
