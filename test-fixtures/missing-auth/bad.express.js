const express = require('express');
const { requireAuth } = require('./middleware/auth');

const app = express();

app.get('/orders', requireAuth, listOrders);
app.get('/admin/stats', requireAuth, adminStats);

app.post('/admin/users/:id/ban', async (req, res) => { // expect: missing-auth
  await db.users.update({ where: { id: req.params.id }, data: { banned: true } });
  res.json({ ok: true });
});

app.delete('/users/:id', async (req, res) => { // expect: missing-auth
  await db.users.delete({ where: { id: req.params.id } });
  res.status(204).end();
});

app.post('/payments/refund', asyncHandler(async (req, res) => { // expect: missing-auth
  const refund = await stripe.refunds.create({ payment_intent: req.body.paymentIntent });
  res.json(refund);
}));

app.get('/health', (req, res) => res.send('ok'));
app.get('/login', renderLogin);
app.post('/billing/webhook', express.raw({ type: 'application/json' }), stripeWebhook);
// vibeguard-disable-file missing-rate-limit -- this fixture is about missing-auth; missing-rate-limit has fixtures of its own
