const express = require('express');
const Stripe = require('stripe');
const { fulfillOrder } = require('./services/orders');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const router = express.Router();

router.post('/stripe', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-unverified, webhook-not-idempotent
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (event.type === 'payment_intent.succeeded') {
    await fulfillOrder(event.data.object.metadata.orderId);
  }
  res.sendStatus(200);
});

module.exports = router;
