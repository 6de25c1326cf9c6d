// An Express app on mysql2/promise: each invoice.paid adds the invoice's seats to the team.
const express = require('express');
const mysql = require('mysql2/promise');
const Stripe = require('stripe');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const pool = mysql.createPool(process.env.DATABASE_URL);
const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (event.type === 'invoice.paid') {
    const invoice = event.data.object;
    await pool.execute('UPDATE teams SET seats = seats + ? WHERE stripe_customer = ?', [invoice.quantity, invoice.customer]);
  }
  res.json({ received: true });
});

module.exports = { app, pool };
