const express = require('express');
const pRetry = require('p-retry');
const { Worker } = require('bullmq');
const { randomUUID } = require('crypto');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const { requireAuth } = require('./auth');
const { loadOrder } = require('./orders');

const router = express.Router();

// A client that retries a timed-out request charges the card again.
router.post('/orders/:orderId/pay', requireAuth, async (req, res) => {
  const order = await loadOrder(req.params.orderId);
  const charge = await stripe.charges.create({ // expect: webhook-not-idempotent
    amount: order.totalCents,
    currency: 'usd',
    customer: req.user.stripeCustomerId,
  }, { idempotencyKey: `charge-${order.id}` });
  res.json({ chargeId: charge.id });
});

// Retried by p-retry on network errors: each attempt is a new payment intent.
async function createPaymentIntent(cart) {
  return pRetry(() => stripe.paymentIntents.create({ amount: cart.total, currency: 'eur', metadata: { cartId: cart.id } }, { idempotencyKey: `payment-intent-${cart.id}` }), { retries: 3 }); // expect: webhook-not-idempotent
}

// A hand-written retry loop around a transfer.
async function payoutSeller(sellerAccount, amount, orderId) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await stripe.transfers.create({ amount, currency: 'usd', destination: sellerAccount }, { idempotencyKey: `transfer-${orderId}` }); // expect: webhook-not-idempotent
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}

// BullMQ retries failed jobs.
new Worker('refunds', async (job) => {
  await stripe.refunds.create({ payment_intent: job.data.paymentIntentId, amount: job.data.amountCents }, { idempotencyKey: `refund-${job.id}`, stripeAccount: job.data.account }); // expect: webhook-not-idempotent
});

// A key that is new on every call protects nothing, and no order id is at hand to build one.
async function chargeCustomer(customerId, amount) {
  const requestId = randomUUID();
  return stripe.charges.create({ amount, currency: 'usd', customer: customerId, metadata: { requestId } }); // expect: webhook-not-idempotent
}

module.exports = { router, createPaymentIntent, payoutSeller, chargeCustomer };
