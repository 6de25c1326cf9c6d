/**
 * A throwaway MariaDB server for one test run, from Debian's `mariadb-server`: a fresh datadir
 * in a temp dir, a private loopback port and socket, a passwordless `vibeguard` user with all
 * privileges, torn down by stop(). Unlike PostgreSQL, MariaDB is optional for the suite: when
 * it cannot be installed or started, available() says why so that the report can show
 * "not run: <reason>" instead of a silent pass.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  RunAs,
  aptInstall,
  freePort,
  isRoot,
  makeServerDir,
  readTail,
  registerCleanup,
  removeDir,
  run,
  runOk,
  serverEnv,
  serviceUser,
  sleep,
  timeLimit,
  which,
} from './util';

export interface MariaDBOptions {
  maxConnections?: number;
  /** Passwordless user with all privileges, reachable over TCP from 127.0.0.1 and over the socket. */
  user?: string;
  database?: string;
  /** Extra server options, e.g. `{ 'wait-timeout': 5 }` becomes `--wait-timeout=5`. */
  settings?: Record<string, string | number>;
  /** Install `mariadb-server` with apt-get when missing (default true unless VIBEGUARD_NO_APT=1). */
  allowInstall?: boolean;
  startTimeoutMs?: number;
}

export interface MariaDBServer {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Path of the server's unix socket (mysql2's `socketPath`). */
  socketPath: string;
  /** `mysql://user@127.0.0.1:port/database`, accepted by mysql2's createConnection/createPool. */
  connectionString: string;
  dir: string;
  version: string;
  maxConnections: number;
  timings: { installDbMs: number; startMs: number };
  /** Runs SQL as root through the `mariadb` client; returns its tab-separated output. */
  sql(statements: string): Promise<string>;
  log(lines?: number): string;
  /** Shuts the server down and removes the temp dir; safe to call twice. */
  stop(): Promise<void>;
}

export type Availability = { ok: true; version: string } | { ok: false; reason: string };

export class MariaDBUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`MariaDB unavailable: ${reason}`);
    this.name = 'MariaDBUnavailableError';
  }
}

interface Binaries {
  server: string;
  installDb: string;
  client: string;
  admin: string;
}

function findBinaries(): Binaries | null {
  const pick = (...names: string[]) => names.map((n) => which(n) ?? (fs.existsSync(`/usr/sbin/${n}`) ? `/usr/sbin/${n}` : null)).find((p) => p) ?? null;
  const server = pick('mariadbd', 'mysqld');
  const installDb = pick('mariadb-install-db', 'mysql_install_db');
  const client = pick('mariadb', 'mysql');
  const admin = pick('mariadb-admin', 'mysqladmin');
  return server && installDb && client && admin ? { server, installDb, client, admin } : null;
}

/** Installs Debian's `mariadb-server`. Called only when its binaries are missing. */
export async function installMariaDB(): Promise<void> {
  await aptInstall(['mariadb-server'], 'MariaDB is not installed');
}

async function ensureBinaries(allowInstall = process.env.VIBEGUARD_NO_APT !== '1'): Promise<Binaries> {
  const found = findBinaries();
  if (found) return found;
  if (!allowInstall) throw new MariaDBUnavailableError('mariadb-server is not installed and installing is disabled');
  try {
    await installMariaDB();
  } catch (err) {
    throw new MariaDBUnavailableError(firstLine(err));
  }
  const installed = findBinaries();
  if (!installed) throw new MariaDBUnavailableError('apt-get installed mariadb-server but mariadbd/mariadb-install-db were not found');
  return installed;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

let availability: Promise<Availability> | undefined;

/**
 * Whether a MariaDB server can be installed and started here. The first call really starts
 * and stops one (a few seconds), later calls reuse that answer.
 */
export function available(): Promise<Availability> {
  return (availability ??= (async (): Promise<Availability> => {
    try {
      const server = await startMariaDB({ startTimeoutMs: 60_000 });
      const version = server.version;
      await server.stop();
      return { ok: true, version };
    } catch (err) {
      return { ok: false, reason: err instanceof MariaDBUnavailableError ? err.reason : firstLine(err) };
    }
  })());
}

/** Starts a server or explains why not, without throwing: for suites that report "not run". */
export async function tryStartMariaDB(opts: MariaDBOptions = {}): Promise<{ ok: true; server: MariaDBServer } | { ok: false; reason: string }> {
  try {
    return { ok: true, server: await startMariaDB(opts) };
  } catch (err) {
    return { ok: false, reason: err instanceof MariaDBUnavailableError ? err.reason : firstLine(err) };
  }
}

export async function startMariaDB(opts: MariaDBOptions = {}): Promise<MariaDBServer> {
  const bins = await ensureBinaries(opts.allowInstall);
  const user = opts.user ?? 'vibeguard';
  const database = opts.database ?? 'vibeguard';
  const maxConnections = opts.maxConnections ?? 100;
  const runAs: RunAs = serviceUser('vibeguard-mariadb');
  const dir = makeServerDir('vibeguard-mdb-', runAs);
  const data = path.join(dir, 'data');
  const socketPath = path.join(dir, 'mysqld.sock');
  const logFile = path.join(dir, 'error.log');
  const env = serverEnv({ HOME: dir });
  const asServer = { runAs, env, cwd: dir };
  // The root account over the socket, for setup and shutdown; --no-defaults keeps the
  // machine's /etc/mysql config and ~/.my.cnf out of it.
  const rootArgs = ['--no-defaults', '--protocol=socket', `--socket=${socketPath}`, '--user=root'];
  const asClient = { env, cwd: dir };

  let child: ChildProcess | undefined;
  let childAlive = false;
  let exited: Promise<void> = Promise.resolve();

  const unregister = registerCleanup(() => {
    // No event loop at exit: kill outright. mariadbd is one process, so nothing is orphaned.
    if (childAlive) {
      try {
        child?.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    removeDir(dir);
  });

  const teardown = async (graceful: boolean): Promise<void> => {
    if (childAlive && child) {
      child.ref();
      if (graceful) await run(bins.admin, [...rootArgs, 'shutdown'], { ...asClient, timeoutMs: 30_000 });
      if (childAlive) {
        child.kill('SIGTERM');
        await Promise.race([exited, timeLimit(10_000)]);
      }
      if (childAlive) child.kill('SIGKILL');
      await Promise.race([exited, timeLimit(5_000)]);
    }
    removeDir(dir);
    unregister();
  };

  try {
    const t0 = Date.now();
    // Small InnoDB files keep install and start at about a second each.
    const common = ['--innodb-buffer-pool-size=16M', '--innodb-log-file-size=8M'];
    const inst = await run(
      bins.installDb,
      ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', ...common],
      { ...asServer, timeoutMs: 120_000 },
    );
    if (inst.code !== 0) {
      throw new MariaDBUnavailableError(`mariadb-install-db failed: ${causeLine(inst.stderr + inst.stdout)}`);
    }
    const installDbMs = Date.now() - t0;

    const t1 = Date.now();
    const deadline = t1 + (opts.startTimeoutMs ?? 60_000);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const args = [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${socketPath}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--pid-file=${path.join(dir, 'mysqld.pid')}`,
        `--log-error=${logFile}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        `--max-connections=${maxConnections}`,
        ...common,
        ...Object.entries(opts.settings ?? {}).map(([k, v]) => `--${k}=${v}`),
      ];
      const proc = spawn(bins.server, args, {
        cwd: dir,
        env,
        stdio: 'ignore',
        ...(isRoot() ? { uid: runAs.uid, gid: runAs.gid } : {}),
      });
      child = proc;
      childAlive = true;
      exited = new Promise((resolve) => {
        const done = () => {
          if (child === proc) childAlive = false;
          resolve();
        };
        proc.once('exit', done);
        proc.once('error', done);
      });
      proc.unref();

      if (await waitReady(bins.admin, rootArgs, asClient, () => childAlive, deadline)) break;
      const log = readTail(logFile);
      if (!childAlive && /Address already in use|Can't start server: Bind/i.test(log) && attempt < 5) continue;
      throw new MariaDBUnavailableError(`mariadbd did not start: ${causeLine(log)}`);
    }
    const startMs = Date.now() - t1;

    const sql = async (statements: string): Promise<string> =>
      (await runOk(bins.client, [...rootArgs, '--batch', '--skip-column-names'], { ...asClient, input: statements, timeoutMs: 30_000 }))
        .stdout;
    const q = (id: string) => '`' + id.replace(/`/g, '``') + '`';
    const s = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    await sql(
      [
        `CREATE DATABASE ${q(database)};`,
        ...['127.0.0.1', 'localhost'].flatMap((host) => [
          `CREATE USER ${s(user)}@${s(host)};`,
          `GRANT ALL PRIVILEGES ON *.* TO ${s(user)}@${s(host)} WITH GRANT OPTION;`,
        ]),
      ].join('\n'),
    );
    const version = (await sql('SELECT VERSION();')).trim();

    let stopping: Promise<void> | undefined;
    return {
      host: '127.0.0.1',
      port,
      user,
      database,
      socketPath,
      connectionString: `mysql://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      dir,
      version,
      maxConnections,
      timings: { installDbMs, startMs },
      sql,
      log: (lines = 25) => readTail(logFile, lines),
      stop: () => (stopping ??= teardown(true)),
    };
  } catch (err) {
    await teardown(false).catch(() => undefined);
    throw err;
  }
}

function causeLine(text: string): string {
  // MariaDB logs the cause first and a bare "[ERROR] Aborting" last; keep the cause, without
  // the timestamp prefix.
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d\s+[\d:]+\s+\d+\s+/, '').trim())
    .filter((l) => /error|fail|cannot|can't|denied/i.test(l) && !/\bAborting$/.test(l));
  return lines[0] ?? text.trim().split('\n').pop() ?? 'no output';
}

async function waitReady(
  admin: string,
  rootArgs: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string },
  alive: () => boolean,
  deadline: number,
): Promise<boolean> {
  while (Date.now() < deadline) {
    if (!alive()) return false;
    const r = await run(admin, [...rootArgs, '--connect-timeout=1', 'ping'], { ...opts, timeoutMs: 5_000 });
    if (r.code === 0) return true;
    await sleep(100);
  }
  return false;
}
