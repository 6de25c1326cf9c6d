const express = require('express');
const Stripe = require('stripe');
const { fulfillOrder, markInvoicePaid } = require('./orders');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();

// The AI version: the event is whatever JSON the caller sent.
app.post('/webhook', express.json(), async (req, res) => { // expect: webhook-unverified, webhook-not-idempotent
  const event = req.body;

  if (event.type === 'checkout.session.completed') {
    await fulfillOrder(event.data.object.id);
  }
  res.json({ received: true });
});

// Reads the fields straight off the body.
app.post('/billing/events', async (req, res) => { // expect: webhook-unverified
  switch (req.body.type) {
    case 'invoice.paid':
      await markInvoicePaid(req.body.data.object.id);
      break;
    default:
      console.log('ignored', req.body.type);
  }
  res.sendStatus(200);
});

module.exports = app;
