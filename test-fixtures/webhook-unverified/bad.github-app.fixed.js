const express = require('express');
const { deployBranch } = require('./deploy');
const crypto = require('crypto');

/**
 * GitHub signs each delivery with HMAC-SHA256 of the raw body under the webhook's secret
 * (X-Hub-Signature-256: sha256=<hex>). Compares in constant time and returns the parsed event;
 * throws when the signature does not match.
 */
function verifyGitHubEvent(rawBody, signature, secret) {
  const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', secret).update(rawBody).digest('hex')}`);
  const given = Buffer.from(String(signature ?? ''));
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new Error('invalid signature');
  return JSON.parse(rawBody.toString());
}

const app = express();

// GitHub push hook that trusts the body: anyone can ask for a deploy of any branch.
app.post('/webhooks/github', express.raw({ type: 'application/json' }), async (req, res) => { // expect: webhook-unverified
  let event;
  try {
    event = verifyGitHubEvent(req.body, req.headers['x-hub-signature-256'], process.env.GITHUB_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(`Webhook Error: ${err.message}`);
  }

  if (req.headers['x-github-event'] === 'push') {
    await deployBranch(event.ref, event.after);
  }
  res.status(202).end();
});

module.exports = app;
