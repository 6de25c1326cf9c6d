const crypto = require('crypto');
const express = require('express');
const { db } = require('./db');

const app = express();

// A partner API key checked with !==: each request tells how many leading characters matched.
app.get('/partner/orders', async (req, res) => {
  const apiKey = req.get('X-Api-Key');
  if (!timingSafeEqualStrings(apiKey, process.env.PARTNER_API_KEY)) return res.sendStatus(401); // expect: timing-unsafe-compare
  res.json(await db.orders.findMany({ take: 50 }));
});

// A signed download link: the signature is recomputed and compared with ===.
app.get('/files/:id', async (req, res) => {
  const { sig, expires } = req.query;
  const expectedSig = crypto.createHmac('sha256', process.env.LINK_SECRET).update(`${req.params.id}:${expires}`).digest('hex');
  const valid = timingSafeEqualStrings(sig, expectedSig) && Number(expires) > Date.now(); // expect: timing-unsafe-compare
  if (!valid) return res.sendStatus(403);
  res.sendFile(`/srv/files/${Number(req.params.id)}`);
});

// A helper the route calls: its argument comes from the caller, the stored token from the database.
async function checkInvite(code) {
  const invite = await db.invites.findUnique({ where: { email: code.email } });
  return invite && timingSafeEqualStrings(invite.token, code.token); // expect: timing-unsafe-compare
}

app.post('/invites/accept', async (req, res) => {
  if (!(await checkInvite(req.body))) return res.sendStatus(403);
  res.sendStatus(204);
});

module.exports = app;

/**
 * Compares two strings in constant time. crypto.timingSafeEqual throws on inputs of different
 * lengths, so the lengths are checked first; values that are not strings compare as before.
 */
function timingSafeEqualStrings(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return a === b;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
