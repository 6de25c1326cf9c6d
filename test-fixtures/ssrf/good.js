const express = require('express');
const axios = require('axios');

const app = express();
const ALLOWED = new Set(['images.example.com', 'cdn.example.com']);
const API_BASE = 'https://api.github.com';

// Constant host plus an encoded path segment.
app.get('/users/:name', async (req, res) => {
  const r = await fetch(`https://api.github.com/users/${encodeURIComponent(req.params.name)}`, { signal: AbortSignal.timeout(5000) });
  res.json(await r.json());
});

// A constant base with a path after the host.
app.get('/repos/:owner', async (req, res) => {
  const r = await axios.get(`${API_BASE}/repos/${req.params.owner}`, { timeout: 5000 });
  res.json(r.data);
});

// Query values passed as parameters.
app.get('/search', async (req, res) => {
  const r = await axios.get('https://search.example.com/v1', { params: { q: req.query.q }, timeout: 5000 });
  const qs = new URLSearchParams({ q: String(req.query.q) });
  const s = await fetch(`https://search.example.com/v2?${qs}`, { signal: AbortSignal.timeout(5000) });
  res.json({ a: r.data, b: await s.json() });
});

// The host is checked against an allowlist first.
app.post('/uploads/from-url', async (req, res) => {
  const url = new URL(req.body.url);
  if (!ALLOWED.has(url.hostname)) return res.status(400).json({ error: 'host not allowed' });
  const upstream = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  res.json({ size: (await upstream.arrayBuffer()).byteLength });
});

// A configured service URL from the environment.
app.get('/billing', async (req, res) => {
  const r = await fetch(`${process.env.BILLING_URL}/invoices?user=${req.query.user}`, { signal: AbortSignal.timeout(5000) });
  res.json(await r.json());
});

// A relative URL stays on the same origin.
async function loadProfile(id) {
  return fetch(`/api/profile/${id}`);
}

// A URL helper that puts user data only into the query of a constant base.
function withQuery(base, params) {
  const u = new URL(base);
  u.search = new URLSearchParams(params).toString();
  return u.toString();
}
app.get('/games', async (req, res) => {
  const params = { player: req.user.gameId, key: process.env.GAMES_KEY };
  const listUrl = withQuery('https://games.example.com/v1/recent', params);
  const r = await fetch(listUrl, { signal: AbortSignal.timeout(5000) });
  res.json(await r.json());
});

// Only the scheme of the incoming request is reused; the host is this server's own.
app.get('/self-check', async (req, res) => {
  const r = await fetch(`${new URL(req.url, 'http://localhost').protocol}//localhost:3000/health`, { signal: AbortSignal.timeout(2000) });
  res.sendStatus(r.status);
});

module.exports = { app, loadProfile };
