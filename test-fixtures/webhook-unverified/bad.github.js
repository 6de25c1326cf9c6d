const crypto = require('crypto');
const express = require('express');
const { db } = require('./db');
const { deployBranch } = require('./deploy');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);

const router = express.Router();

// GitHub push hook: checks nothing, deploys whatever branch the body names.
router.post('/hooks/github', async (req, res) => { // expect: webhook-unverified
  const kind = req.headers['x-github-event'];
  if (kind === 'push') {
    await deployBranch(req.body.ref, req.body.after);
  }
  res.status(202).end();
});

// Computes the HMAC but compares it with ===, which leaks how many characters matched.
router.post('/hooks/github-issues', async (req, res) => { // expect: webhook-unverified, webhook-not-idempotent
  const expected = 'sha256=' + crypto.createHmac('sha256', process.env.GITHUB_WEBHOOK_SECRET).update(req.rawBody).digest('hex');
  // vibeguard-disable-next-line timing-unsafe-compare -- the timing leak is timing-unsafe-compare's finding (its own fixtures cover it); this fixture is about the webhook check
  if (req.headers['x-hub-signature-256'] !== expected) {
    return res.status(401).end();
  }
  await db.issues.create({ data: { number: req.body.issue.number, title: req.body.issue.title } });
  res.status(204).end();
});

// Verifies, but only after it already wrote the payload down.
router.post('/hooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-unverified
  const payload = JSON.parse(req.body);
  await db.stripeEvents.create({ data: { id: payload.id, type: payload.type } });
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ received: event.id });
});

// Verifies a re-serialised copy: JSON.stringify never reproduces the bytes Stripe signed.
router.post('/hooks/stripe-json', express.json(), async (req, res) => { // expect: webhook-unverified
  const event = stripe.webhooks.constructEvent(JSON.stringify(req.body), req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === 'invoice.paid') await db.invoices.update({ where: { id: event.data.object.id }, data: { paid: true } });
  res.json({ received: true });
});

module.exports = router;
