// Mounted at /admin by server.js behind requireAuth: every route here is guarded there.
const express = require('express');

const router = express.Router();

router.get('/users', async (req, res) => {
  res.json(await db.users.findMany());
});

router.delete('/users/:id', async (req, res) => {
  await db.users.delete({ where: { id: req.params.id } });
  res.status(204).end();
});

module.exports = router;
// vibeguard-disable-file unbounded-query -- this fixture is about missing-auth; unbounded-query has fixtures of its own
