const crypto = require('crypto');
const express = require('express');
const { db } = require('./db');

const app = express();

// A partner API key checked with !==: each request tells how many leading characters matched.
app.get('/partner/orders', async (req, res) => {
  const apiKey = req.get('X-Api-Key');
  if (apiKey !== process.env.PARTNER_API_KEY) return res.sendStatus(401); // expect: timing-unsafe-compare
  res.json(await db.orders.findMany({ take: 50 }));
});

// A signed download link: the signature is recomputed and compared with ===.
app.get('/files/:id', async (req, res) => {
  const { sig, expires } = req.query;
  const expectedSig = crypto.createHmac('sha256', process.env.LINK_SECRET).update(`${req.params.id}:${expires}`).digest('hex');
  const valid = sig === expectedSig && Number(expires) > Date.now(); // expect: timing-unsafe-compare
  if (!valid) return res.sendStatus(403);
  res.sendFile(`/srv/files/${Number(req.params.id)}`);
});

// A helper the route calls: its argument comes from the caller, the stored token from the database.
async function checkInvite(code) {
  const invite = await db.invites.findUnique({ where: { email: code.email } });
  return invite && invite.token == code.token; // expect: timing-unsafe-compare
}

app.post('/invites/accept', async (req, res) => {
  if (!(await checkInvite(req.body))) return res.sendStatus(403);
  res.sendStatus(204);
});

module.exports = app;
