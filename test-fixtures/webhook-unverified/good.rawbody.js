const express = require('express');
const Stripe = require('stripe');
const { pool } = require('./db');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();

// The JSON parser keeps the exact bytes for the signature check.
app.use(express.json({ verify: (req, res, buf) => { req.rawBody = buf; } }));

app.post('/webhook', async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.rawBody, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (event.type === 'payment_intent.succeeded') {
    await pool.query("UPDATE orders SET status = 'paid' WHERE payment_intent_id = $1", [event.data.object.id]);
  }
  res.json({ received: true });
});

// A router mounted under /api parses JSON; the webhook router is mounted before it.
const api = express.Router();
api.use(express.json());
api.post('/orders/:id/notes', async (req, res) => {
  await pool.query('UPDATE orders SET notes = $1 WHERE id = $2', [req.body.notes, req.params.id]);
  res.sendStatus(204);
});
app.use('/api', api);

module.exports = app;
