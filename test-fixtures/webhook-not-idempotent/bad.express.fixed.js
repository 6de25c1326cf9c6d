const express = require('express');
const Stripe = require('stripe');
const { pool } = require('./db');
const { sendReceipt } = require('./mailer');
const { oncePerEvent } = require('./lib/idempotency');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  await oncePerEvent(pool, event.id, async () => {
    if (event.type === 'checkout.session.completed') {
      const session = event.data.object;
      const { rows } = await pool.query(
        'INSERT INTO orders (checkout_session_id, email, total_cents) VALUES ($1, $2, $3) RETURNING id',
        [session.id, session.customer_details.email, session.amount_total],
      );
      await sendReceipt(session.customer_details.email, rows[0].id);
    } else if (event.type === 'charge.dispute.created') {
      const dispute = event.data.object;
      await stripe.refunds.create({ charge: dispute.charge, amount: dispute.amount }, { idempotencyKey: `refund-${event.id}` }); // expect: webhook-not-idempotent
      await pool.query('UPDATE accounts SET disputes = disputes + 1 WHERE stripe_customer_id = $1', [dispute.customer]);
    }
  });

  res.json({ received: true });
});

// Runs its writes in a transaction on a checked-out client: the claim joins that transaction.
app.post('/webhooks/stripe-connect', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_CONNECT_WEBHOOK_SECRET);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await oncePerEvent(client, event.id, async () => {
      if (event.type === 'payout.paid') {
        await client.query('INSERT INTO payouts (stripe_id, amount) VALUES ($1, $2)', [event.data.object.id, event.data.object.amount]);
        await client.query('UPDATE sellers SET paid_out = paid_out + $1 WHERE account_id = $2', [event.data.object.amount, event.account]);
      }
    });
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
  res.json({ received: true });
});

module.exports = app;
