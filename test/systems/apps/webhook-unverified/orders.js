// The order service the webhook fixture (test-fixtures/webhook-unverified/bad.express.js) calls.
// Each call appends one JSON line to the file named by SIDE_EFFECTS_LOG, so the suite can count
// what a webhook delivery made the application do.
const fs = require('fs');

function record(action, id) {
  fs.appendFileSync(process.env.SIDE_EFFECTS_LOG, JSON.stringify({ action, id }) + '\n');
}

async function fulfillOrder(checkoutSessionId) {
  record('fulfillOrder', checkoutSessionId);
}

async function markInvoicePaid(invoiceId) {
  record('markInvoicePaid', invoiceId);
}

module.exports = { fulfillOrder, markInvoicePaid };
