// The user service the Clerk (Svix) webhook app calls; each sync appends one JSON line to the
// file named by SIDE_EFFECTS_LOG.
const fs = require('fs');

async function syncUser(userId, deliveryId) {
  fs.appendFileSync(process.env.SIDE_EFFECTS_LOG, JSON.stringify({ action: 'syncUser', id: userId, deliveryId }) + '\n');
}

module.exports = { syncUser };
