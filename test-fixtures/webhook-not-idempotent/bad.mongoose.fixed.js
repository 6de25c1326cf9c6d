const express = require('express');
const { Webhook } = require('svix');
const { Account } = require('./models');
const { oncePerEvent } = require('./lib/idempotency');

const app = express();

// $inc grows the balance on every delivery.
app.post('/webhooks/credits', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const evt = new Webhook(process.env.BILLING_WEBHOOK_SECRET).verify(req.body, req.headers);
  await oncePerEvent(req.headers['svix-id'], async () => {
    await Account.updateOne({ billingId: evt.data.customer }, { $inc: { credits: evt.data.credits } });
  });
  res.sendStatus(200);
});

module.exports = app;
