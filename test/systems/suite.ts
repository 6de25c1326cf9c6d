/**
 * Shared steps of the fix-verification suites: a Postgres server per describe block, probes
 * fired at a served before/after pair, and small formatting helpers for the report rows.
 */
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { FireResult, RequestSpec, request } from './http';
import { PostgresServer, startPostgres } from './postgres';
import { MariaDBOptions, MariaDBServer, tryStartMariaDB } from './mariadb';
import { endTrackedClients, trackDbClients } from './db-tracker';
import { repoRequire } from './paths';

/**
 * Starts a PostgreSQL server in the enclosing describe's `before` and stops it in its `after`
 * (ending every pool the served code left open first). Returns a getter for the server.
 */
export function postgresForSuite(opts: { maxConnections?: number } = {}): () => PostgresServer {
  let pg: PostgresServer | undefined;
  before(async function () {
    this.timeout(20 * 60_000); // covers an apt-get install on a fresh machine
    trackDbClients();
    const t0 = Date.now();
    pg = await startPostgres({ maxConnections: opts.maxConnections ?? 100 });
    console.log(`      ${pg.version} on port ${pg.port}, max_connections ${pg.maxConnections} (${Date.now() - t0} ms)`);
  });
  after(async function () {
    this.timeout(60_000);
    await endTrackedClients();
    await pg?.stop();
  });
  return () => {
    if (!pg) throw new Error('PostgreSQL is not running (its before hook failed)');
    return pg;
  };
}

/**
 * Starts MariaDB in the enclosing describe's `before` (its tests skipped, with `notRun` called
 * with the reason, when it cannot start) and stops it in its `after`. Returns a getter for the server.
 */
export function mariadbForSuite(notRun: (reason: string) => void, opts: MariaDBOptions = {}): () => MariaDBServer {
  let mdb: MariaDBServer | undefined;
  before(async function () {
    this.timeout(20 * 60_000); // covers an apt-get install on a fresh machine
    const started = await tryStartMariaDB(opts);
    if (!started.ok) {
      notRun(started.reason);
      this.skip();
    } else mdb = started.server;
  });
  after(async function () {
    this.timeout(60_000);
    await endTrackedClients();
    await mdb?.stop();
  });
  return () => {
    if (!mdb) throw new Error('MariaDB is not running (its before hook failed)');
    return mdb;
  };
}

/** Runs SQL (several statements allowed) on a database as the superuser. */
export async function pgExec(connectionString: string, sql: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const r = await client.query(sql, values);
    return Array.isArray(r) ? r[r.length - 1].rows : r.rows;
  } finally {
    await client.end();
  }
}

/** A request and the name it is reported under. */
export interface Probe {
  name: string;
  req: RequestSpec;
}

/** What a probe got: status and body (JSON when it is JSON). */
export interface Outcome {
  status: number;
  body: unknown;
}

export const outcomeOf = (r: FireResult): Outcome => ({ status: r.status, body: r.json ?? r.body ?? r.error });

/**
 * Fires the probes one after the other and returns their outcomes by name. A handler that never
 * answers (an async Express 4 handler that threw) shows as status 0 after `timeoutMs`.
 */
export async function runProbes(baseUrl: string, probes: Probe[], timeoutMs = 10_000): Promise<Record<string, Outcome>> {
  const out: Record<string, Outcome> = {};
  for (const p of probes) out[p.name] = outcomeOf(await request(baseUrl, p.req, 0, timeoutMs));
  return out;
}

/**
 * A host app for a module that exports an Express router and expects the app around it to parse
 * JSON bodies (the usual `app.use(express.json())` in server.js): served with serveModule, with
 * the router's module passed in `files` under `routerFile`.
 */
export function hostAppSource(routerFile: string, exportName = 'default'): string {
  return [
    "const express = require('express');",
    `const routes = require('./${routerFile}');`,
    'const app = express();',
    'app.use(express.json());',
    `app.use(routes[${JSON.stringify(exportName)}] || routes);`,
    'module.exports = { app, routes };',
    '',
  ].join('\n');
}

/** `?a=1&b=2` from an object, encoding every value. */
export function qs(params: Record<string, string>): string {
  return '?' + new URLSearchParams(params).toString();
}

export function show(v: unknown, max = 160): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? s.slice(0, max - 3) + '...' : s;
}

/** Number of rows in a JSON body: an array's length, 1 for an object, 0 for null. */
export function rowCount(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  if (body && typeof body === 'object') {
    const values = Object.values(body as Record<string, unknown>);
    if (values.length === 1 && Array.isArray(values[0])) return values[0].length;
    if (values.length === 1 && values[0] === null) return 0;
    return 1;
  }
  return 0;
}

/** Collects the failed expectations of one before/after comparison, so the report can state them all. */
export class Checks {
  readonly failures: string[] = [];

  /** Records a failure when `ok` is false. */
  expect(ok: boolean, message: string): void {
    if (!ok) this.failures.push(message);
  }

  same(a: unknown, b: unknown, message: string): void {
    try {
      assert.deepEqual(a, b);
    } catch {
      this.failures.push(`${message}: ${show(a)} vs ${show(b)}`);
    }
  }

  differs(a: unknown, b: unknown, message: string): void {
    try {
      assert.deepEqual(a, b);
      this.failures.push(`${message}: both ${show(a)}`);
    } catch {
      /* they differ, as expected */
    }
  }

  get ok(): boolean {
    return this.failures.length === 0;
  }

  /** Throws an assertion error listing every failure. */
  assertAll(context: string): void {
    assert.ok(this.ok, `${context}:\n  - ${this.failures.join('\n  - ')}`);
  }
}

/**
 * Makes Express 4 pass a rejected promise from a handler to the error middleware, as Express 5
 * does, for code written for Express 5 (the sample app depends on express ^5; this repository
 * has Express 4). Without it, a handler that throws after an await leaves its request hanging.
 * Returns the function that restores Express 4's behaviour.
 */
export function express5AsyncErrors(): () => void {
  const Layer = repoRequire('express/lib/router/layer') as {
    prototype: { handle_request: (req: unknown, res: unknown, next: (err?: unknown) => void) => void; handle: (...a: unknown[]) => unknown };
  };
  const original = Layer.prototype.handle_request;
  Layer.prototype.handle_request = function (req, res, next) {
    const fn = this.handle;
    if (fn.length > 3) return next();
    try {
      const ret = fn(req, res, next) as Promise<unknown> | undefined;
      if (ret && typeof ret.then === 'function') ret.then(undefined, (err: unknown) => next(err ?? new Error('Rejected promise')));
    } catch (err) {
      next(err);
    }
  };
  return () => {
    Layer.prototype.handle_request = original;
  };
}

/** 'PostgreSQL 15' from a server's `postgres --version` line. */
export function postgresName(pg: PostgresServer): string {
  return pg.version.replace(/^postgres \(PostgreSQL\) (\d+).*/s, 'PostgreSQL $1');
}
