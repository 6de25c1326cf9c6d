// The mailer the webhook fixture imports. Sending takes a moment (an SMTP round trip), which is
// when a retried delivery arrives; each sent receipt is a row in email_outbox.
const { pool } = require('./db');

const SMTP_LATENCY_MS = 50;

async function sendReceipt(email, orderId) {
  await new Promise((resolve) => setTimeout(resolve, SMTP_LATENCY_MS));
  await pool.query('INSERT INTO email_outbox (email, order_id) VALUES ($1, $2)', [email, orderId]);
}

module.exports = { sendReceipt };
