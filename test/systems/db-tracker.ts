/**
 * Code under test creates database pools and clients of its own (that is what the connection
 * rules are about) and seldom exports them, yet each must be closed before its server stops: an
 * idle node-postgres client whose server goes away makes its pool emit 'error', which crashes the
 * run when the app listens for none, and open mysql2 sockets keep the process alive. Every
 * node-postgres pool and client and every mysql2 pool that connects is remembered here, so a
 * suite can end them all after each served module.
 */
import mysql from 'mysql2';
import pg from 'pg';

interface Closable {
  end(): Promise<void>;
  on(event: 'error', fn: () => void): unknown;
}

interface MysqlCorePool {
  end(cb?: (err?: Error) => void): void;
  on(event: 'error', fn: () => void): unknown;
  _closed?: boolean;
}

const pgPools = new Set<pg.Pool>();
const pgClients = new Set<pg.Client>();
const mysqlPools = new Set<MysqlCorePool>();
let installed = false;

/** Remembers `this` whenever `method` of `proto` is called. */
function remember<T>(proto: object, method: string, into: Set<T>): void {
  const target = proto as Record<string, (...a: unknown[]) => unknown>;
  const original = target[method];
  target[method] = function (this: T, ...args: unknown[]) {
    into.add(this);
    return original.apply(this, args);
  };
}

/**
 * Starts remembering; idempotent. The classes patched are the ones served code gets from
 * require('pg') and require('mysql2/promise') (the same module instances), and a pool's own
 * clients are ended by the pool.
 */
export function trackDbClients(): void {
  if (installed) return;
  installed = true;
  remember(pg.Pool.prototype, 'connect', pgPools);
  remember(pg.Client.prototype, 'connect', pgClients);
  remember((mysql as unknown as { Pool: { prototype: object } }).Pool.prototype, 'getConnection', mysqlPools);
}

/** Ends every remembered pool, then every stand-alone client still open; never throws. */
export async function endTrackedClients(timeoutMs = 5_000): Promise<void> {
  const quiet = (c: Closable) => {
    // The server may already be gone; the error is expected now and must not crash the run.
    c.on('error', () => undefined);
    return c.end().catch(() => undefined);
  };
  const pools = [...pgPools].filter((p) => !(p as unknown as { ending?: boolean }).ending);
  pgPools.clear();
  const mysqlOpen = [...mysqlPools].filter((p) => !p._closed);
  mysqlPools.clear();
  // A pool waits for clients the app checked out and never released; those are ended below.
  await withTimeout(
    Promise.all([
      ...pools.map((p) => quiet(p as unknown as Closable)),
      ...mysqlOpen.map(
        (p) =>
          new Promise<void>((resolve) => {
            p.on('error', () => undefined);
            p.end(() => resolve());
          }),
      ),
    ]),
    timeoutMs,
  );
  const open = [...pgClients].filter((c) => !(c as unknown as { _ending?: boolean })._ending);
  pgClients.clear();
  await withTimeout(Promise.all(open.map((c) => quiet(c as unknown as Closable))), timeoutMs);
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    p.then(done, done);
  });
}
