const express = require('express');
const axios = require('axios');
const https = require('https');

const app = express();
app.use(express.json());

// Upload by URL: the server downloads whatever the caller names.
app.post('/uploads/from-url', async (req, res) => {
  const { url } = req.body;
  const upstream = await fetch(url, { signal: AbortSignal.timeout(10_000) }); // expect: ssrf
  res.json({ size: (await upstream.arrayBuffer()).byteLength });
});

app.get('/preview', async (req, res) => {
  const target = req.query.target;
  const { data } = await axios.get(target, { timeout: 5000 }); // expect: ssrf
  res.send(data);
});

// The host itself is spliced in.
app.get('/proxy/:host/*', async (req, res) => {
  const r = await axios.get(`https://${req.params.host}/api/status`, { timeout: 5000 }); // expect: ssrf
  res.json(r.data);
});

// A constant scheme and host with no path separator: `@evil.example` in the value moves the host.
app.get('/mirror', async (req, res) => {
  const r = await fetch('https://cdn.example.com' + req.query.path, { signal: AbortSignal.timeout(5000) }); // expect: ssrf
  res.send(await r.text());
});

app.get('/legacy', (req, res) => {
  https.get(req.query.feed, (up) => up.pipe(res)).setTimeout(5000); // expect: ssrf
});

app.post('/hooks/test', async (req, res) => res.json(await (await fetch(req.body.callbackUrl, { method: 'POST', signal: AbortSignal.timeout(5000) })).json())); // expect: ssrf

module.exports = app;
