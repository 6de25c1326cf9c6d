const express = require('express');
const cors = require('cors');
const Stripe = require('stripe');
const { pool } = require('./db');

const stripe = Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();

app.use(cors());
// Parse JSON request bodies for the API.
app.use(express.json());

app.get('/api/orders/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);
  res.json(rows[0]);
});

// Stripe sends payment events here.
app.post('/api/stripe/webhook', async (req, res) => { // expect: webhook-unverified
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (event.type === 'payment_intent.succeeded') {
    await pool.query("UPDATE orders SET status = 'paid' WHERE payment_intent_id = $1", [event.data.object.id]);
  }
  res.json({ received: true });
});

app.listen(3000);
