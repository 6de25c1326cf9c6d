const crypto = require('crypto');
const express = require('express');
const Stripe = require('stripe');
const { Webhook } = require('svix');
const { Webhooks } = require('@octokit/webhooks');
const { pool } = require('./db');
const { verifyStripeSignature } = require('./middleware/verify');
const { requireAuth } = require('./middleware/auth');
const { markOrderPaid, syncUser, deployBranch } = require('./services');

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const github = new Webhooks({ secret: process.env.GITHUB_WEBHOOK_SECRET });
const app = express();

// Registered before the JSON parser, with the raw body, verified before acting.
app.post('/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }
  if (event.type === 'checkout.session.completed') {
    await pool.query("UPDATE orders SET status = 'paid' WHERE checkout_session_id = $1", [event.data.object.id]);
  }
  res.json({ received: true });
});

// The async variant (Cloudflare, Deno, or just preference).
app.post('/webhooks/stripe-async', express.raw({ type: 'application/json' }), async (req, res) => {
  const event = await stripe.webhooks.constructEventAsync(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  if (event.type === 'invoice.paid') await pool.query("UPDATE invoices SET paid = true WHERE id = $1", [event.data.object.id]);
  res.sendStatus(200);
});

// Svix (Clerk, Resend...): verify() throws on a bad signature.
app.post('/webhooks/clerk', express.raw({ type: 'application/json' }), async (req, res) => {
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET);
  const evt = wh.verify(req.body, {
    'svix-id': req.headers['svix-id'],
    'svix-timestamp': req.headers['svix-timestamp'],
    'svix-signature': req.headers['svix-signature'],
  });
  if (evt.type === 'user.updated') await syncUser(evt.data);
  res.sendStatus(204);
});

// GitHub with @octokit/webhooks.
app.post('/hooks/github', express.text({ type: 'application/json' }), async (req, res) => {
  const ok = await github.verify(req.body, req.headers['x-hub-signature-256']);
  if (!ok) return res.status(401).end();
  const payload = JSON.parse(req.body);
  if (req.headers['x-github-event'] === 'push') await deployBranch(payload.ref);
  res.status(202).end();
});

// A hand-rolled HMAC compared in constant time.
app.post('/hooks/github-raw', express.raw({ type: 'application/json' }), async (req, res) => {
  const signature = Buffer.from(req.headers['x-hub-signature-256'] || '');
  const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', process.env.GITHUB_WEBHOOK_SECRET).update(req.body).digest('hex'));
  if (signature.length !== expected.length || !crypto.timingSafeEqual(signature, expected)) {
    return res.status(401).end();
  }
  const payload = JSON.parse(req.body);
  await deployBranch(payload.ref);
  res.status(202).end();
});

// Verification done by route middleware.
app.post('/webhooks/orders', express.raw({ type: 'application/json' }), verifyStripeSignature, async (req, res) => {
  await markOrderPaid(req.stripeEvent.data.object.id);
  res.json({ received: true });
});

// A local helper that checks the signature before anything happens.
function isFromStripe(req) {
  try {
    req.event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
    return true;
  } catch {
    return false;
  }
}
app.post('/webhooks/refunds', express.raw({ type: 'application/json' }), async (req, res) => {
  if (!isFromStripe(req)) return res.sendStatus(400);
  if (req.event.type === 'charge.refunded') await pool.query("UPDATE orders SET status = 'refunded' WHERE charge_id = $1", [req.event.data.object.id]);
  res.sendStatus(200);
});

// A webhook endpoint that only logs what it receives.
app.post('/webhooks/debug', express.json(), (req, res) => {
  console.log('webhook received', req.body.type, req.body.id);
  res.sendStatus(200);
});

// Not a webhook: the body's `type` is an app field, not a provider event.
app.post('/api/notes', express.json(), async (req, res) => {
  if (req.body.type === 'todo') {
    await pool.query('INSERT INTO notes (kind, text) VALUES ($1, $2)', ['todo', req.body.text]);
  }
  res.status(201).end();
});

// Where users register their own webhook URLs: an authenticated app API, not an incoming webhook.
app.post('/api/webhooks', requireAuth, express.json(), async (req, res) => {
  await pool.query('INSERT INTO webhook_endpoints (user_id, url) VALUES ($1, $2)', [req.user.id, req.body.url]);
  res.status(201).end();
});

// Browser analytics: dotted event names, but no provider sends them.
app.post('/api/analytics/events', express.json(), async (req, res) => {
  if (req.body.type === 'page.viewed') {
    await pool.query('INSERT INTO page_views (path) VALUES ($1)', [req.body.path]);
  }
  res.status(204).end();
});

// JSON parsing for the rest of the API comes after the webhooks above.
app.use(express.json());

module.exports = app;
