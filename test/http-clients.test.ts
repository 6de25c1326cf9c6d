// The outbound HTTP model the request-handling and reliability rules share: which calls send a
// request, with which method and URL, and whether a timeout bounds them.
import * as assert from 'assert';
import { httpCalls } from '../rules/kit/frameworks/http-clients';
import { engine } from './harness/fixtures';

async function calls(file: string, text: string) {
  const model = (await engine()).analyze(file, text).model!;
  return httpCalls(model).map((h) => `${h.name} ${h.method} ${h.url ? model.text.slice(h.url.start, h.url.end) : '-'} ${h.timeout ? 'timeout' : 'none'}`);
}

describe('outbound HTTP calls', () => {
  it('JS: fetch, axios and its instances, got, node http; timeouts on the call or the instance', async () => {
    const js = [
      "import axios from 'axios';",
      "import got from 'got';",
      "import https from 'https';",
      'const api = axios.create({ baseURL: process.env.API, timeout: 5000 });',
      'const bare = axios.create({ baseURL: process.env.API });',
      'export async function f(url) {',
      '  await fetch(url);',
      "  await fetch(url, { method: 'POST', signal: AbortSignal.timeout(10_000) });",
      '  await axios.get(url);',
      "  await axios.post(url, { a: 1 }, { timeout: 3000 });",
      "  await api.get('/users');",
      "  await bare.delete('/users/1');",
      '  await got(url, { timeout: { request: 2000 } });',
      '  https.get(url, (res) => res.resume());',
      '  [1, 2].map((x) => x * 2);',
      '}',
    ].join('\n');
    assert.deepStrictEqual(await calls('/w/a.ts', js), [
      'fetch GET url none', 'fetch POST url timeout', 'axios.get GET url none', 'axios.post POST url timeout',
      "api.get GET '/users' timeout", "bare.delete DELETE '/users/1' none", 'got GET url timeout', 'https.get GET url none',
    ]);
  });

  it('Python: requests and sessions, httpx (a default timeout), urllib', async () => {
    const py = [
      'import requests',
      'import httpx',
      'import urllib.request',
      'session = requests.Session()',
      'def f(url):',
      '    requests.get(url)',
      '    requests.post(url, json={}, timeout=10)',
      '    session.get(url)',
      '    httpx.get(url)',
      '    httpx.get(url, timeout=None)',
      '    urllib.request.urlopen(url, timeout=5)',
    ].join('\n');
    assert.deepStrictEqual(await calls('/w/a.py', py), [
      'requests.get GET url none', 'requests.post POST url timeout', 'session.get GET url none',
      'httpx.get GET url timeout', 'httpx.get GET url none', 'urllib.request.urlopen GET url timeout',
    ]);
  });
});
