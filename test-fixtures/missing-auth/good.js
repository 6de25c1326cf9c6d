const express = require('express');
const { requireAuth } = require('./middleware/auth');

const app = express();
const admin = express.Router();

// A router-level guard covers every route registered on the router.
admin.use(requireAuth);
admin.get('/reports', (req, res) => res.json(buildReports()));
admin.delete('/users/:id', (req, res) => deleteUser(req.params.id).then(() => res.sendStatus(204)));
app.use('/admin', admin);

// An app-level guard installed before the routes.
const internal = express();
internal.use(requireAuth);
internal.post('/internal/reindex', (req, res) => reindex().then(() => res.sendStatus(202)));

// A path-level guard: app.use('/billing', ...) before the routes under it.
app.use('/billing', requireAuth);
app.post('/billing/charges', (req, res) => charge(req.body).then((c) => res.json(c)));

// The handler checks the caller itself.
app.post('/payments/refund', async (req, res) => {
  if (!req.user) return res.status(401).end();
  res.json(await refund(req.user.id, req.body.orderId));
});

// Public by design: login, health, provider webhooks verified by signature.
app.get('/admin/login', adminLoginPage);
app.get('/health', (req, res) => res.send('ok'));
app.post('/payments/webhook', express.raw({ type: 'application/json' }), paymentsWebhook);

// Not sensitive: a listing and a user's own settings.
app.get('/products', listProducts);
app.put('/users/:id/theme', requireAuth, setTheme);

// The handler loads the caller's organisation context and answers unauthorized itself.
app.delete('/organizations/:orgId', async (req, res) => {
  const ctx = await loadOrgContext(req);
  if (!ctx) return OrgAuth.unauthorized(res);
  await removeOrganization(ctx.orgId);
  res.sendStatus(204);
});
// vibeguard-disable-file missing-rate-limit -- this fixture is about missing-auth; missing-rate-limit has fixtures of its own
