// An Express app on Knex (PostgreSQL or MariaDB by KNEX_CLIENT): each payment adds a ledger row.
const express = require('express');
const knex = require('knex');
const Stripe = require('stripe');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const db = knex({ client: process.env.KNEX_CLIENT, connection: process.env.DATABASE_URL, pool: { min: 0, max: 5 } });
const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (event.type === 'payment_intent.succeeded') {
    const intent = event.data.object;
    await db('ledger').insert({ account_id: intent.metadata.accountId, amount: intent.amount });
  }
  res.json({ received: true });
});

module.exports = { app, db };
