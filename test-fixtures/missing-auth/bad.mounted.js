// Mounted at /billing by server.js with no auth in front of it.
const express = require('express');

const router = express.Router();

router.get('/invoices', async (req, res) => { // expect: missing-auth
  res.json(await db.invoices.findMany());
});

router.post('/refunds/:chargeId', async (req, res) => { // expect: missing-auth
  await stripe.refunds.create({ charge: req.params.chargeId });
  res.json({ ok: true });
});

module.exports = router;
// vibeguard-disable-file unbounded-query -- this fixture is about missing-auth; unbounded-query has fixtures of its own
