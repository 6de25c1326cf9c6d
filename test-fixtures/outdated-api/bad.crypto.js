// Node's own API: no lockfile needed, createCipher is gone in Node 22 and deprecated before.
const crypto = require('node:crypto');

function encryptNote(text, password) {
  const cipher = crypto.createCipher('aes-256-cbc', password); // expect: outdated-api
  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');
}

module.exports = { encryptNote };
