import axios from 'axios';
import got from 'got';
import ky from 'ky';
import httpClient from './http-client';
import { request as pooledRequest } from 'undici';

// An instance created with a default timeout bounds every request it sends.
const payments = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 8000 });
const search = got.extend({ prefixUrl: process.env.SEARCH_URL, timeout: { request: 5000 } });
axios.defaults.timeout = 15_000;

export async function charge(amount: number) {
  const { data } = await payments.post('/charges', { amount });
  return data;
}

export async function find(q: string) {
  return search.get('items', { searchParams: { q } }).json();
}

export async function withSignal(url: string, signal: AbortSignal) {
  const res = await fetch(url, { signal });
  return res.json();
}

export async function withControllerTimeout() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    return await fetch('https://rates.example.com/today', { signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

export async function explicitTimeouts(id: string) {
  await axios.get(`https://crm.example.com/contacts/${id}`, { timeout: 4000 });
  await got(`https://crm.example.com/deals/${id}`, { timeout: { request: 4000 } });
  // ky gives up after ten seconds unless told otherwise.
  await ky.get(`https://crm.example.com/notes/${id}`).json();
}

// Options built elsewhere may carry the timeout: the call alone does not say.
export async function forwarded(url: string, init: RequestInit) {
  return fetch(url, init);
}

export async function spreadDefaults(url: string, defaults: RequestInit) {
  return fetch(url, { ...defaults, method: 'POST' });
}

// A wrapper module of the app's own, not a known client.
export async function viaWrapper() {
  return httpClient.get('/profile');
}

// A font shipped with the code, read through fetch in an edge function: a file, not a server.
export const interFont = fetch(new URL('../assets/Inter-Regular.ttf', import.meta.url)).then((r) => r.arrayBuffer());

// undici's request under another name, bounded by how long it waits for headers.
export async function inventoryLevel(sku: string) {
  const { body } = await pooledRequest(`${process.env.INVENTORY_URL}/levels/${sku}`, { headersTimeout: 4000 });
  return body.json();
}
