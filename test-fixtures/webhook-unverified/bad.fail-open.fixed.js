const express = require('express');
const Stripe = require('stripe');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;
const app = express();

// Verifies only where the signing secret is configured; everywhere else the raw body is the event.
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-unverified
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], endpointSecret);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (event.type === 'checkout.session.completed') {
    await markPaid(event.data.object.client_reference_id);
  }
  res.json({ received: true });
});

async function markPaid(orderId) {
  await stripe.paymentIntents.update(orderId, { metadata: { paid: 'yes' } });
}

module.exports = app;
