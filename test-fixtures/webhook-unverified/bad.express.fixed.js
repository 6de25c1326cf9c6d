const express = require('express');
const Stripe = require('stripe');
const { fulfillOrder, markInvoicePaid } = require('./orders');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();

// The AI version: the event is whatever JSON the caller sent.
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-unverified, webhook-not-idempotent
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  if (event.type === 'checkout.session.completed') {
    await fulfillOrder(event.data.object.id);
  }
  res.json({ received: true });
});

// Reads the fields straight off the body.
app.post('/billing/events', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-unverified
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  switch (event.type) {
    case 'invoice.paid':
      await markInvoicePaid(event.data.object.id);
      break;
    default:
      console.log('ignored', event.type);
  }
  res.sendStatus(200);
});

module.exports = app;
