const crypto = require('crypto');

// Crypto randomness for secrets.
function newResetToken() {
  return crypto.randomBytes(32).toString('hex');
}

// Jitter, backoff and display randomness are not secrets.
function retryDelay(attempt) {
  const jitter = Math.random() * 100;
  return 2 ** attempt * 100 + jitter;
}

function shuffleCards(cards) {
  return [...cards].sort(() => Math.random() - 0.5);
}

function pickGreeting(greetings) {
  return greetings[Math.floor(Math.random() * greetings.length)];
}

const sampleRate = 0.1;
function shouldSample() {
  return Math.random() < sampleRate;
}

// A React list key and a request id for tracing are not secrets.
function withKeys(items) {
  return items.map((item) => ({ ...item, key: Math.random().toString(36).slice(2) }));
}
const requestId = () => Math.random().toString(36).slice(2, 10);

// A demo tool that makes up a status and an amount: its name says verify, its values are not secrets.
const verifyOrderTool = async ({ orderId }) => {
  const states = ['shipped', 'pending'];
  const status = states[Math.floor(Math.random() * states.length)];
  return { orderId, status, amount: (Math.random() * 100).toFixed(2) };
};

module.exports = { verifyOrderTool, newResetToken, retryDelay, shuffleCards, pickGreeting, shouldSample, withKeys, requestId };
