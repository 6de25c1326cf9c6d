const express = require('express');
const { Webhook } = require('svix');
const { Account } = require('./models');

const app = express();

// $inc grows the balance on every delivery.
app.post('/webhooks/credits', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const evt = new Webhook(process.env.BILLING_WEBHOOK_SECRET).verify(req.body, req.headers);
  await Account.updateOne({ billingId: evt.data.customer }, { $inc: { credits: evt.data.credits } });
  res.sendStatus(200);
});

module.exports = app;
