// A deploy hook that checks an HMAC-SHA256 signature of the raw body, compared with !==.
const crypto = require('crypto');
const express = require('express');

const app = express();

app.post('/hooks/deploy', express.raw({ type: '*/*' }), (req, res) => {
  const expected = crypto.createHmac('sha256', process.env.DEPLOY_HOOK_SECRET).update(req.body).digest('hex');
  const signature = req.get('X-Deploy-Signature');
  if (signature !== expected) return res.status(401).json({ error: 'bad signature' });
  res.status(204).end();
});

module.exports = app;
