import axios from 'axios';
import got from 'got';
import superagent from 'superagent';
import ky from 'ky';
import express from 'express';

const app = express();
const billing = axios.create({ baseURL: process.env.BILLING_URL });

app.post('/quotes', async (req, res) => {
  const shipping = await fetch(`https://shipping.example.com/quote?zip=${encodeURIComponent(req.body.zip)}`, { signal: AbortSignal.timeout(10_000) }); // expect: missing-timeout
  const tax = await fetch('https://tax.example.com/v2/rate', { method: 'POST', body: JSON.stringify({ zip: req.body.zip }), signal: AbortSignal.timeout(10_000) }); // expect: missing-timeout
  const { data: invoice } = await billing.post('/invoices', { amount: req.body.amount }, { timeout: 10_000 }); // expect: missing-timeout
  res.json({ shipping: await shipping.json(), tax: await tax.json(), invoice });
});

export async function refreshAvatar(userId: string): Promise<Buffer> {
  const init = { headers: { accept: 'image/png' } };
  const res = await fetch(`https://avatars.example.com/${userId}`, { ...init, signal: AbortSignal.timeout(10_000) }); // expect: missing-timeout
  return Buffer.from(await res.arrayBuffer());
}

export async function geocode(address: string) {
  const { data } = await axios.get('https://geo.example.com/search', { // expect: missing-timeout
    params: { q: address },
    timeout: 10_000,
  });
  return data;
}

export async function notifySlack(text: string) {
  await axios.post(process.env.SLACK_WEBHOOK_URL!, undefined, { timeout: 10_000 }); // expect: missing-timeout
  await got.post('https://hooks.example.com/notify', { json: { text }, timeout: { request: 10_000 } }); // expect: missing-timeout
  return superagent.get('https://status.example.com/health').timeout(10_000).set('accept', 'application/json'); // expect: missing-timeout
}

export async function exportReport(id: string) {
  // Switching the client's default bound off leaves the call unbounded again.
  await ky.post(`https://reports.example.com/${id}/export`, { timeout: 10_000 }); // expect: missing-timeout
  return axios.get(`https://reports.example.com/${id}`, { timeout: 10_000 }); // expect: missing-timeout
}
