const express = require('express');
const { Pool } = require('pg');
const Stripe = require('stripe');

const pool = new Pool();
const stripe = Stripe(process.env.STRIPE_SECRET_KEY);
const app = express();

app.delete('/account', async (req, res) => {
  try { // expect: swallowed-error
    await pool.query('DELETE FROM users WHERE id = $1', [req.user.id]);
  } catch (err) {
    throw err;
  }
  res.json({ deleted: true });
});

app.post('/checkout', async (req, res) => {
  try { // expect: swallowed-error
    await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'usd' }, { idempotencyKey: req.body.key });
  } catch (err) {
    console.error('payment failed', err);
    throw err;
  }
  res.json({ success: true });
});

async function archiveOrder(id) {
  try { // expect: swallowed-error
    await pool.query("UPDATE orders SET status = 'archived' WHERE id = $1", [id]);
  } catch (err) {
    throw err;
  }
  return { ok: true };
}

async function markPaid(id) {
  await pool.query("UPDATE invoices SET paid = true WHERE id = $1", [id]); // expect: swallowed-error
  return true;
}

module.exports = { app, archiveOrder, markPaid };
