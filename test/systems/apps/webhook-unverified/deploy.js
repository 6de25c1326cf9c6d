// The deploy service the GitHub webhook fixture (test-fixtures/webhook-unverified/bad.github-app.js)
// calls; each deploy appends one JSON line to the file named by SIDE_EFFECTS_LOG.
const fs = require('fs');

async function deployBranch(ref, sha) {
  fs.appendFileSync(process.env.SIDE_EFFECTS_LOG, JSON.stringify({ action: 'deployBranch', ref, sha }) + '\n');
}

module.exports = { deployBranch };
