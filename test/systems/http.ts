/**
 * Serving code under test over real HTTP. A fix is proven by loading the before and after
 * source as ordinary modules (so `require('express')`, `require('pg')`... resolve from the
 * repository's node_modules), serving the app on a loopback port and firing requests at it.
 */
import type { Express, Router } from 'express';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { repoRequire, repoRoot } from './paths';
import { registerCleanup } from './util';

export interface ServeOptions {
  /** Other files to write beside the module (relative path → source), e.g. a generated helper. */
  files?: Record<string, string>;
  /** File name of the module itself; `.cjs` by default so it loads as CommonJS. */
  filename?: string;
  /** Export holding the app or router; by default the module itself, then default, app, router. */
  exportName?: string;
  /** When the export is a factory (a function that is not an app), it is called with these. */
  factoryArgs?: unknown[];
  /** Environment variables set while the module loads and runs; restored by close(). */
  env?: Record<string, string | undefined>;
  /** Path a router (or app) is mounted at; '/' by default. */
  mountPath?: string;
}

export interface Served {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** The loaded module's exports, to reach e.g. a pool it created and must end. */
  module: unknown;
  /** Stops the server (dropping keep-alive connections), unloads the module, deletes its files. */
  close(): Promise<void>;
}

type ExpressModule = typeof import('express');
type Handler = Express | Router;

const isHandler = (v: unknown): v is Handler =>
  typeof v === 'function' && typeof (v as { handle?: unknown }).handle === 'function';

/** The folder generated modules are written to: out/systems-tmp under the repository root. */
export function systemsTmpRoot(): string {
  return path.join(repoRoot(), 'out', 'systems-tmp');
}

/**
 * Writes `source` as a module, requires it and serves the Express app or router it exports on
 * 127.0.0.1 with a free port. A module that calls `app.listen(PORT)` itself (as generated code
 * usually does) is served too: listen() is intercepted while the module loads, so it binds
 * nothing and the app it was called on is served instead.
 */
export async function serveModule(source: string, opts: ServeOptions = {}): Promise<Served> {
  const express = repoRequire('express') as ExpressModule;
  const base = systemsTmpRoot();
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'mod-'));
  const entry = path.join(dir, opts.filename ?? 'app.cjs');

  const savedEnv = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    savedEnv.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const restoreEnv = () => {
    for (const [k, v] of savedEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    savedEnv.clear();
  };
  const unload = () => {
    for (const key of Object.keys(require.cache)) if (key.startsWith(dir + path.sep)) delete require.cache[key];
  };
  // A test that times out or a run that is interrupted never calls close(): remove the files at exit.
  const unregister = registerCleanup(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.rmdirSync(base);
    } catch {
      /* still in use */
    }
  });
  const cleanupFiles = () => {
    unload();
    unregister();
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.rmdirSync(base); // only succeeds when no other module is still being served
    } catch {
      /* still in use */
    }
  };

  let server: http.Server | undefined;
  try {
    for (const [rel, text] of Object.entries(opts.files ?? {})) {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
    fs.writeFileSync(entry, source);

    const proto = express.application as unknown as { listen: (...args: unknown[]) => http.Server };
    const realListen = proto.listen;
    let listenedApp: Handler | undefined;
    proto.listen = function (this: Express, ...args: unknown[]) {
      listenedApp = this;
      const cb = args.find((a): a is () => void => typeof a === 'function');
      if (cb) setImmediate(cb);
      return http.createServer(this);
    };
    let mod: unknown;
    try {
      mod = require(entry);
    } finally {
      proto.listen = realListen;
    }

    let handler: unknown = pickExport(mod, opts.exportName) ?? listenedApp;
    if (!isHandler(handler) && typeof handler === 'function' && opts.factoryArgs) {
      handler = await (handler as (...a: unknown[]) => unknown)(...opts.factoryArgs);
    }
    if (!isHandler(handler)) {
      throw new Error(`module exports no Express app or router${opts.exportName ? ` under '${opts.exportName}'` : ''}`);
    }
    const app = express();
    app.use(opts.mountPath ?? '/', handler);

    const srv = http.createServer(app);
    server = srv;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (srv.address() as AddressInfo).port;

    let closing: Promise<void> | undefined;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      module: mod,
      close: () =>
        (closing ??= (async () => {
          await closeServer(srv);
          restoreEnv();
          cleanupFiles();
        })()),
    };
  } catch (err) {
    if (server) await closeServer(server);
    restoreEnv();
    cleanupFiles();
    throw err;
  }
}

function pickExport(mod: unknown, name: string | undefined): unknown {
  if (name !== undefined) return (mod as Record<string, unknown> | undefined)?.[name];
  if (isHandler(mod)) return mod;
  const m = (mod ?? {}) as Record<string, unknown>;
  for (const key of ['default', 'app', 'router']) if (isHandler(m[key])) return m[key];
  if (typeof mod === 'function') return mod; // a factory, called when factoryArgs are given
  if (typeof m.default === 'function') return m.default;
  return undefined;
}

function closeServer(srv: http.Server): Promise<void> {
  return new Promise((resolve) => {
    srv.close(() => resolve());
    srv.closeAllConnections();
  });
}

export interface RequestSpec {
  /** Path with query, appended to the base URL; '/' by default. */
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON with a JSON content type. */
  body?: unknown;
}

export interface FireResult {
  /** Index of the request, 0-based, in firing order. */
  i: number;
  /** HTTP status, or 0 when the request failed without a response (see error). */
  status: number;
  body: string;
  /** The body parsed as JSON when it is JSON. */
  json?: unknown;
  headers: Record<string, string>;
  /** Every Set-Cookie header, one entry each (`headers` keeps only one of several). */
  setCookies: string[];
  error?: string;
  ms: number;
}

export interface FireOptions extends RequestSpec {
  /** Number of requests. */
  n: number;
  /** How many are in flight at once: 1 (default) fires them one after the other. */
  concurrency?: number;
  /** Per-request variation (e.g. a different event id each time), merged over the shared spec. */
  each?: (i: number) => RequestSpec;
  timeoutMs?: number;
}

/** One request; never throws: a network failure is a result with status 0. */
export async function request(baseUrl: string, spec: RequestSpec = {}, i = 0, timeoutMs = 30_000): Promise<FireResult> {
  const t0 = Date.now();
  const headers: Record<string, string> = { ...spec.headers };
  let body: string | undefined;
  if (typeof spec.body === 'string') body = spec.body;
  else if (spec.body !== undefined) {
    body = JSON.stringify(spec.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  try {
    const res = await fetch(baseUrl + (spec.path ?? '/'), {
      method: spec.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { i, status: res.status, body: text, json, headers: Object.fromEntries(res.headers), setCookies: res.headers.getSetCookie(), ms: Date.now() - t0 };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return { i, status: 0, body: '', headers: {}, setCookies: [], error: e.cause?.message ?? e.message, ms: Date.now() - t0 };
  }
}

/** Fires n requests, sequentially or with the given concurrency; results are in index order. */
export async function fire(baseUrl: string, opts: FireOptions): Promise<FireResult[]> {
  const { n, concurrency = 1, each, timeoutMs, ...shared } = opts;
  const results: FireResult[] = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const own = each?.(i);
      const spec = own ? { ...shared, ...own, headers: { ...shared.headers, ...own.headers } } : shared;
      results[i] = await request(baseUrl, spec, i, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, n)) }, worker));
  return results;
}

/** Counts results by status, e.g. `{ 200: 18, 500: 2 }` (status 0 = no response). */
export function statusCounts(results: FireResult[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}
