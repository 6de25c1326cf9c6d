const crypto = require('crypto');
const express = require('express');
const { Pool } = require('pg');
const { oncePerEvent } = require('./lib/idempotency');

const pool = new Pool();
const router = express.Router();

function verifyGithub(req) {
  const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', process.env.GITHUB_WEBHOOK_SECRET).update(req.body).digest('hex'));
  const given = Buffer.from(req.get('x-hub-signature-256') || '');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

router.post('/hooks/github', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-not-idempotent
  if (!verifyGithub(req)) return res.sendStatus(401);
  const payload = JSON.parse(req.body);
  await oncePerEvent(pool, req.headers['x-github-delivery'], async () => {
    if (req.get('x-github-event') === 'star') {
      await pool.query('INSERT INTO stars (repo, login) VALUES ($1, $2)', [payload.repository.full_name, payload.sender.login]);
    }
  });
  res.sendStatus(202);
});

module.exports = router;
