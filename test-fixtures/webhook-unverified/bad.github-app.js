const express = require('express');
const { deployBranch } = require('./deploy');

const app = express();

// GitHub push hook that trusts the body: anyone can ask for a deploy of any branch.
app.post('/webhooks/github', express.json(), async (req, res) => { // expect: webhook-unverified
  if (req.headers['x-github-event'] === 'push') {
    await deployBranch(req.body.ref, req.body.after);
  }
  res.status(202).end();
});

module.exports = app;
