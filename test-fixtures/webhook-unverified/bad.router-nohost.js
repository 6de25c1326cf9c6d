const express = require('express');
const Stripe = require('stripe');
const { fulfillOrder } = require('../services/orders');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const router = express.Router();

router.post('/stripe', async (req, res) => { // expect: webhook-unverified, webhook-not-idempotent
  const event = req.body;
  if (event.type === 'payment_intent.succeeded') {
    await fulfillOrder(event.data.object.metadata.orderId);
  }
  res.sendStatus(200);
});

module.exports = router;
