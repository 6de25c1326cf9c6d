// The credits service the webhook fixture (test-fixtures/webhook-unverified/bad.ts) calls; each
// grant appends one JSON line to the file named by SIDE_EFFECTS_LOG.
const fs = require('fs');

async function grantCredits(userId, amount) {
  fs.appendFileSync(process.env.SIDE_EFFECTS_LOG, JSON.stringify({ action: 'grantCredits', id: userId, amount }) + '\n');
}

module.exports = { grantCredits };
