const express = require('express');
const axios = require('axios');
const https = require('https');

// The hosts this server may fetch on a caller's behalf, e.g. 'images.example.com'.
const ALLOWED_FETCH_HOSTS = new Set([]);

const app = express();
app.use(express.json());

// Upload by URL: the server downloads whatever the caller names.
app.post('/uploads/from-url', async (req, res) => {
  const { url } = req.body;
  if (!ALLOWED_FETCH_HOSTS.has(new URL(url).hostname)) {
    return res.status(400).json({ error: 'URL host is not allowed' });
  }
  const upstream = await fetch(url, { signal: AbortSignal.timeout(10_000) }); // expect: ssrf
  res.json({ size: (await upstream.arrayBuffer()).byteLength });
});

app.get('/preview', async (req, res) => {
  const target = req.query.target;
  if (!ALLOWED_FETCH_HOSTS.has(new URL(target).hostname)) {
    return res.status(400).json({ error: 'URL host is not allowed' });
  }
  const { data } = await axios.get(target, { timeout: 5000 }); // expect: ssrf
  res.send(data);
});

// The host itself is spliced in.
app.get('/proxy/:host/*', async (req, res) => {
  if (!ALLOWED_FETCH_HOSTS.has(new URL(`https://${req.params.host}/api/status`).hostname)) {
    return res.status(400).json({ error: 'URL host is not allowed' });
  }
  const r = await axios.get(`https://${req.params.host}/api/status`, { timeout: 5000 }); // expect: ssrf
  res.json(r.data);
});

// A constant scheme and host with no path separator: `@evil.example` in the value moves the host.
app.get('/mirror', async (req, res) => {
  if (!ALLOWED_FETCH_HOSTS.has(new URL('https://cdn.example.com' + req.query.path).hostname)) {
    return res.status(400).json({ error: 'URL host is not allowed' });
  }
  const r = await fetch('https://cdn.example.com' + req.query.path, { signal: AbortSignal.timeout(5000) }); // expect: ssrf
  res.send(await r.text());
});

app.get('/legacy', (req, res) => {
  if (!ALLOWED_FETCH_HOSTS.has(new URL(req.query.feed).hostname)) {
    return res.status(400).json({ error: 'URL host is not allowed' });
  }
  https.get(req.query.feed, (up) => up.pipe(res)).setTimeout(5000); // expect: ssrf
});

app.post('/hooks/test', async (req, res) => res.json(await (await fetch(req.body.callbackUrl, { method: 'POST', signal: AbortSignal.timeout(5000) })).json())); // expect: ssrf

module.exports = app;
