// Clerk user events over Svix, taken on trust: any POST creates the user it names.
const express = require('express');
const { syncUser } = require('./users');

const app = express();

app.post('/webhooks/clerk', express.json(), async (req, res) => {
  const evt = req.body;
  if (evt.type === 'user.created') {
    await syncUser(evt.data.id, req.headers['svix-id']);
  }
  res.json({ ok: true });
});

module.exports = app;
