const express = require('express');
const mysql = require('mysql2/promise');
const Stripe = require('stripe');
const { oncePerEvent } = require('./lib/idempotency');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const pool = mysql.createPool(process.env.DATABASE_URL);
const app = express();

// mysql2: each redelivery of the same payment adds the seats again.
app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  await oncePerEvent(pool, event.id, async () => {
    if (event.type === 'invoice.paid') {
      const invoice = event.data.object;
      await pool.execute('UPDATE teams SET seats = seats + ? WHERE stripe_customer = ?', [invoice.lines.data[0].quantity, invoice.customer]);
    }
  });
  res.json({ received: true });
});

module.exports = app;
