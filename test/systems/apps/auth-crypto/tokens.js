// One-time codes, reset tokens and API keys made with Math.random.
const express = require('express');

const app = express();

app.post('/login/code', (req, res) => {
  const otp = Math.floor(100000 + Math.random() * 900000);
  res.json({ otp: String(otp) });
});

app.post('/password-reset', (req, res) => {
  const resetToken = Math.random().toString(36).substring(2, 10);
  res.json({ resetToken });
});

function generateApiKey() {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let key = '';
  for (let i = 0; i < 40; i++) key += chars.charAt(Math.floor(Math.random() * chars.length));
  return key;
}

app.post('/api-keys', (req, res) => {
  res.json({ apiKey: generateApiKey() });
});

module.exports = app;
