// A small Express app whose findings depend on another file: billing.js is a router with no auth of
// its own, and whether its routes need auth depends on how server.js mounts it. Tests of caches and
// workspace facts change server.js and expect billing.js's findings to follow.

/** A router with two routes and no auth of its own. */
export const BILLING = [
  "const express = require('express');",
  'const router = express.Router();',
  "router.get('/invoices', async (req, res) => { res.json(await db.invoices.findMany({ take: 20 })); });",
  "router.post('/refunds/:chargeId', async (req, res) => { await stripe.refunds.create({ charge: req.params.chargeId }); res.json({ ok: true }); });",
  'module.exports = router;',
  '',
].join('\n');

/** middleware/auth.js: the guard the app uses elsewhere. */
export const AUTH = "function requireAuth(req, res, next) { if (!req.headers.authorization) return res.status(401).end(); next(); }\nmodule.exports = { requireAuth };\n";

/** server.js, mounting the billing router behind the guard or not. */
export const server = (guarded: boolean): string => [
  "const express = require('express');",
  "const { requireAuth } = require('./middleware/auth');",
  "const billing = require('./billing');",
  'const app = express();',
  "app.get('/me', requireAuth, (req, res) => res.json(req.user));",
  `app.use('/billing', ${guarded ? 'requireAuth, ' : ''}billing);`,
  'module.exports = app;',
  '',
].join('\n');
