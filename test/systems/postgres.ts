/**
 * A throwaway PostgreSQL server for one test run, built from Debian's packages: initdb into a
 * fresh temp dir, listen on a private loopback port and a socket inside that dir, trust auth on
 * loopback, and tear everything down in stop(). Fixes that touch connection handling (pool per
 * request, leaked clients) are proven against it, so max_connections is configurable.
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
  runSyncQuiet,
  serverEnv,
  serviceUser,
  sleep,
  timeLimit,
} from './util';

export interface PostgresOptions {
  /** Server-wide connection cap; tests of connection exhaustion want a low value such as 20. */
  maxConnections?: number;
  /** Superuser role created by initdb; node-postgres connects as it without a password. */
  user?: string;
  /** Database created for the tests. */
  database?: string;
  /** Extra postgresql.conf settings, e.g. `{ statement_timeout: '5s' }`. */
  settings?: Record<string, string | number>;
  /** Install the `postgresql` package with apt-get when no binaries are found (default true unless VIBEGUARD_NO_APT=1). */
  allowInstall?: boolean;
  startTimeoutMs?: number;
}

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  database: string;
  /** `postgresql://user@127.0.0.1:port/database`, ready for `new pg.Client({ connectionString })`. */
  connectionString: string;
  /** Directory holding the server's unix socket (pg accepts it as `host`). */
  socketDir: string;
  /** The temp dir holding data, socket and log; gone after stop(). */
  dir: string;
  version: string;
  maxConnections: number;
  timings: { initdbMs: number; startMs: number };
  /** Creates another empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** The last lines of the server log, for assertion messages. */
  log(lines?: number): string;
  /** Stops the server (pg_ctl stop -m fast) and removes the temp dir; safe to call twice. */
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The bin dir of the newest PostgreSQL under /usr/lib/postgresql, or null when none is installed. */
export function findPostgresBin(): string | null {
  let versions: string[];
  try {
    versions = fs.readdirSync(PG_ROOT);
  } catch {
    return null;
  }
  const usable = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(PG_ROOT, v, 'bin'))
    .filter((bin) => ['initdb', 'postgres', 'pg_ctl'].every((f) => fs.existsSync(path.join(bin, f))));
  return usable[0] ?? null;
}

/** Installs Debian's `postgresql` package. Called by the harness only when findPostgresBin() finds nothing. */
export async function installPostgres(): Promise<void> {
  await aptInstall(['postgresql'], 'PostgreSQL is not installed');
}

export async function ensurePostgresBin(allowInstall = process.env.VIBEGUARD_NO_APT !== '1'): Promise<string> {
  const found = findPostgresBin();
  if (found) return found;
  if (!allowInstall) {
    throw new Error(`PostgreSQL binaries not found under ${PG_ROOT}/*/bin and installing is disabled; run: apt-get install postgresql`);
  }
  await installPostgres();
  const installed = findPostgresBin();
  if (!installed) throw new Error(`apt-get installed postgresql but no binaries appeared under ${PG_ROOT}/*/bin`);
  return installed;
}

/**
 * Freshly initialised clusters, one per binary, superuser and OS user, kept for the rest of the
 * process. initdb takes seconds (most of a server's start on a busy machine); a copy of a cluster
 * nothing has run in yet is the same cluster and takes a fraction of that.
 */
const pristineClusters = new Map<string, Promise<string>>();

function pristineCluster(bin: string, user: string, runAs: RunAs, opts: { runAs: RunAs; env: NodeJS.ProcessEnv }): Promise<string> {
  const key = [bin, user, runAs.uid].join('\0');
  let cluster = pristineClusters.get(key);
  if (!cluster) {
    cluster = (async () => {
      // Not named vibeguard-pg-*: it is not a server, and outlives each one until the process exits.
      const dir = makeServerDir('vibeguard-pgtemplate-', runAs);
      registerCleanup(() => removeDir(dir));
      const data = path.join(dir, 'data');
      // --no-sync: the cluster is disposable, and fsync of a fresh cluster is most of initdb's time.
      await runOk(
        path.join(bin, 'initdb'),
        ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
        { ...opts, cwd: dir, timeoutMs: 120_000 },
      );
      return data;
    })();
    pristineClusters.set(key, cluster);
    cluster.catch(() => pristineClusters.delete(key));
  }
  return cluster;
}

/** Puts a new cluster at `data`: a copy of the pristine one (cp -a keeps owner and modes). */
async function initCluster(bin: string, data: string, user: string, runAs: RunAs, opts: { runAs: RunAs; env: NodeJS.ProcessEnv; cwd: string }): Promise<void> {
  const pristine = await pristineCluster(bin, user, runAs, opts);
  await runOk('cp', ['-a', pristine, data], { ...opts, timeoutMs: 60_000 });
}

export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = await ensurePostgresBin(opts.allowInstall);
  const user = opts.user ?? 'vibeguard';
  const database = opts.database ?? 'vibeguard';
  const maxConnections = opts.maxConnections ?? 100;
  const runAs: RunAs = serviceUser('vibeguard-pg');
  const dir = makeServerDir('vibeguard-pg-', runAs);
  const data = path.join(dir, 'data');
  const socketDir = path.join(dir, 'sock');
  const logFile = path.join(dir, 'postgres.log');
  const env = serverEnv({ PGUSER: user, PGDATABASE: 'postgres' });
  const pgOpts = { runAs, env, cwd: dir };

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let childAlive = false;

  // If the run dies before stop() (or stop() itself fails half-way), this still stops the
  // server and deletes the dir. pg_ctl -m immediate waits until the postmaster has gone.
  const unregister = registerCleanup(() => {
    if (childAlive) {
      runSyncQuiet(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '10'], pgOpts);
      try {
        child?.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    removeDir(dir);
  });

  const teardown = async (mode: 'fast' | 'immediate'): Promise<void> => {
    if (childAlive && child) {
      child.ref();
      const r = await run(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', mode, '-w', '-t', '30'], {
        ...pgOpts,
        timeoutMs: 40_000,
      });
      if (r.code !== 0 && childAlive) child.kill('SIGKILL');
      await Promise.race([exited, timeLimit(10_000)]);
    }
    removeDir(dir);
    unregister();
  };

  try {
    const t0 = Date.now();
    fs.mkdirSync(socketDir, { mode: 0o700 });
    if (isRoot()) fs.chownSync(socketDir, runAs.uid, runAs.gid);
    await initCluster(bin, data, user, runAs, pgOpts);
    fs.writeFileSync(
      path.join(data, 'pg_hba.conf'),
      [
        '# Written by the Vibe Guard test harness: a private, disposable cluster.',
        'local   all   all                 trust',
        'host    all   all   127.0.0.1/32  trust',
        'host    all   all   ::1/128       trust',
        '',
      ].join('\n'),
    );
    const initdbMs = Date.now() - t0;

    const settings: Record<string, string | number> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: socketDir,
      max_connections: maxConnections,
      // The role is a superuser; without this, reserved slots would make the real cap
      // max_connections minus 3 for everyone else and blur "too many clients" tests.
      superuser_reserved_connections: 0,
      shared_buffers: '32MB',
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      ...opts.settings,
    };
    const t1 = Date.now();
    const deadline = t1 + (opts.startTimeoutMs ?? 60_000);
    let port = 0;
    // Another process may take the port between freePort() and the postmaster's bind: retry.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const args = ['-D', data, '-p', String(port)];
      for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
      const logFd = fs.openSync(logFile, 'a');
      const proc = spawn(path.join(bin, 'postgres'), args, {
        cwd: dir,
        env,
        stdio: ['ignore', logFd, logFd],
        ...(isRoot() ? { uid: runAs.uid, gid: runAs.gid } : {}),
      });
      fs.closeSync(logFd);
      child = proc;
      childAlive = true;
      exited = new Promise((resolve) => {
        proc.once('exit', () => {
          if (child === proc) childAlive = false;
          resolve();
        });
        proc.once('error', () => {
          if (child === proc) childAlive = false;
          resolve();
        });
      });
      // A server a test forgets to stop must not keep mocha alive; the exit hook kills it.
      proc.unref();

      const ready = await waitReady(bin, port, user, () => childAlive, deadline);
      if (ready) break;
      const log = readTail(logFile);
      if (!childAlive && /could not bind|Address already in use/i.test(log) && attempt < 5) continue;
      throw new Error(`PostgreSQL did not start on port ${port}:\n${log}`);
    }
    const startMs = Date.now() - t1;

    const connect = { ...pgOpts, timeoutMs: 30_000 };
    const createDatabase = async (name: string): Promise<string> => {
      await runOk(path.join(bin, 'createdb'), ['-h', socketDir, '-p', String(port), '-U', user, name], connect);
      return `postgresql://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    };
    const connectionString = await createDatabase(database);
    const version = (await runOk(path.join(bin, 'postgres'), ['--version'], pgOpts)).stdout.trim();

    let stopping: Promise<void> | undefined;
    return {
      host: '127.0.0.1',
      port,
      user,
      database,
      connectionString,
      socketDir,
      dir,
      version,
      maxConnections,
      timings: { initdbMs, startMs },
      createDatabase,
      log: (lines = 25) => readTail(logFile, lines),
      stop: () => (stopping ??= teardown('fast')),
    };
  } catch (err) {
    await teardown('immediate').catch(() => undefined);
    throw err;
  }
}

/** Polls pg_isready until the server accepts connections, it dies, or the deadline passes. */
async function waitReady(bin: string, port: number, user: string, alive: () => boolean, deadline: number): Promise<boolean> {
  const isready = path.join(bin, 'pg_isready');
  while (Date.now() < deadline) {
    if (!alive()) return false;
    const r = await run(isready, ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-t', '1'], {
      timeoutMs: 5_000,
    });
    if (r.code === 0) return true;
    await sleep(100);
  }
  return false;
}
