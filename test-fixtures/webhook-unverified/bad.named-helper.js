const express = require('express');
const crypto = require('crypto');
const { verifyPayPalSignature } = require('./modules/paypal-verify');

const router = express.Router();

// A name is not a proof: the imported helper checks nothing.
router.post('/webhooks/paypal', async (req, res) => { // expect: webhook-unverified, webhook-not-idempotent
  if (!verifyPayPalSignature(req.headers, req.body)) return res.sendStatus(400);
  if (req.body.event_type === 'PAYMENT.CAPTURE.COMPLETED') await fulfil(req.body.resource.id);
  res.sendStatus(200);
});

// The local helper computes an HMAC but compares it with ===, which leaks timing.
function verifyWebhookSignature(req) {
  const expected = crypto.createHmac('sha256', process.env.SHOP_WEBHOOK_SECRET).update(JSON.stringify(req.body)).digest('hex');
  // vibeguard-disable-next-line timing-unsafe-compare -- the timing leak is timing-unsafe-compare's finding (its own fixtures cover it); this fixture is about the webhook check
  return req.headers['x-shop-signature'] === expected;
}

router.post('/webhooks/shop', async (req, res) => { // expect: webhook-unverified, webhook-not-idempotent
  if (!verifyWebhookSignature(req)) return res.sendStatus(401);
  if (req.body.type === 'order.created') await fulfil(req.body.order_id);
  res.sendStatus(200);
});

async function fulfil(id) {
  await fetch(`${process.env.WAREHOUSE_URL}/orders`, { method: 'POST', body: JSON.stringify({ id }), signal: AbortSignal.timeout(10_000) });
}

module.exports = router;
