// Verifies the Stripe signature only where the signing secret is configured; a deployment that
// forgot STRIPE_WEBHOOK_SECRET fulfils whatever body it is sent.
const express = require('express');
const Stripe = require('stripe');
const { fulfillOrder } = require('./orders');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;
const app = express();

app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event = JSON.parse(req.body);
  if (endpointSecret) {
    try {
      event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);
    } catch (err) {
      return res.status(400).send(`Webhook Error: ${err.message}`);
    }
  }
  if (event.type === 'checkout.session.completed') {
    await fulfillOrder(event.data.object.id);
  }
  res.json({ received: true });
});

module.exports = app;
