// Import by URL: the server downloads the document the caller names.
const express = require('express');

const app = express();
app.use(express.json());

app.post('/import', async (req, res) => {
  const { url } = req.body;
  try {
    const upstream = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const text = await upstream.text();
    res.json({ status: upstream.status, bytes: text.length });
  } catch (err) {
    res.status(502).json({ error: 'fetch failed' });
  }
});

module.exports = app;
