/**
 * Shared plumbing for the real-system harness: running programs (as an unprivileged user when
 * we are root, because PostgreSQL and MariaDB refuse to run as root), picking free ports,
 * installing Debian packages on demand, and making sure that servers and temp dirs are torn
 * down even when a test forgets to, throws, or the run is interrupted.
 */
import { spawn, spawnSync, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The OS identity a database server runs as. */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  runAs?: RunAs;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  input?: string;
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * A small, predictable environment for server processes: the parent's PG and MySQL variables
 * (PGHOST, MYSQL_PWD...) must not leak into them, and a C locale avoids locale warnings on
 * machines where no locale is generated.
 */
export function serverEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    LANG: 'C',
    LC_ALL: 'C',
    TZ: 'UTC',
    ...extra,
  };
}

function spawnOptions(opts: RunOptions): SpawnOptions {
  const o: SpawnOptions = { cwd: opts.cwd, env: opts.env ?? serverEnv() };
  if (opts.runAs && isRoot()) {
    // libuv calls setgroups(0) before setgid/setuid, so the child keeps no root groups.
    o.uid = opts.runAs.uid;
    o.gid = opts.runAs.gid;
  }
  return o;
}

/** Runs a program to completion and captures its output; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...spawnOptions(opts), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            stderr += `\n[harness] killed after ${opts.timeoutMs} ms`;
            child.kill('SIGKILL');
          }, opts.timeoutMs)
        : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A program that exits without reading its input (pg_isready against a dead server) makes
    // this write fail with EPIPE; that is not an error of the run, its exit code says what happened.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input ?? '');
  });
}

/** Like run(), but throws with the program's output when it exits non-zero. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${path.basename(cmd)} ${args.join(' ')} exited with ${r.code ?? r.signal}\n${tail(r.stderr + r.stdout)}`,
    );
  }
  return r;
}

/** The same as runOk, but synchronous: only for exit-time cleanup, where no event loop runs. */
export function runSyncQuiet(cmd: string, args: string[], opts: RunOptions = {}): void {
  spawnSync(cmd, args, { ...spawnOptions(opts), stdio: 'ignore', timeout: opts.timeoutMs ?? 10_000 });
}

export function tail(text: string, lines = 25): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function readTail(file: string, lines = 25): string {
  try {
    return tail(fs.readFileSync(file, 'utf8'), lines);
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A time limit raced against something that keeps the process alive itself (a child's exit):
 * unlike sleep(), its timer does not, so a server that stops at once does not hold the test
 * run open for the rest of the limit.
 */
export const timeLimit = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * Asks the kernel for a free loopback port. Another process can take it before the server
 * binds, so callers retry on "address in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin:/usr/sbin:/sbin').split(':')) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* not in this dir */
    }
  }
  return null;
}

function lookupUser(name: string): RunAs | null {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return null;
  return { name, uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * The identity a server runs as. As root: the system user `wanted` (created on first use), or
 * `nobody` when no user can be created. As anyone else: the current user.
 */
export function serviceUser(wanted: string): RunAs {
  if (!isRoot()) {
    const info = os.userInfo();
    return { name: info.username, uid: info.uid, gid: info.gid };
  }
  const existing = lookupUser(wanted);
  if (existing) return existing;
  const useradd = which('useradd');
  if (useradd) {
    spawnSync(
      useradd,
      ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', wanted],
      { stdio: 'ignore' },
    );
    const created = lookupUser(wanted);
    if (created) return created;
  }
  const nobody = lookupUser('nobody');
  if (nobody) return nobody;
  throw new Error('running as root and found no unprivileged user to run the database server as');
}

/**
 * A fresh directory for one server, owned by the user that runs it. Under /tmp unless TMPDIR
 * points somewhere every user can traverse: a root-only TMPDIR such as /root/tmp would make
 * the server fail with a bare "permission denied".
 */
export function makeServerDir(prefix: string, owner: RunAs): string {
  let base = os.tmpdir();
  if (isRoot() && !worldTraversable(base)) base = '/tmp';
  const dir = fs.mkdtempSync(path.join(base, prefix));
  if (isRoot()) fs.chownSync(dir, owner.uid, owner.gid);
  return dir;
}

function worldTraversable(dir: string): boolean {
  let d = path.resolve(dir);
  for (;;) {
    try {
      if ((fs.statSync(d).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const parent = path.dirname(d);
    if (parent === d) return true;
    d = parent;
  }
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
}

/**
 * Last-resort cleanup. Each live server registers a synchronous teardown; it runs when the
 * process exits (mocha finishing with a server still up, an uncaught error) or is interrupted
 * (SIGINT/SIGTERM), so no server or temp dir outlives the run.
 */
const emergency = new Map<number, () => void>();
let nextId = 1;
let hooked = false;

function runEmergency(): void {
  for (const [id, fn] of [...emergency]) {
    emergency.delete(id);
    try {
      fn();
    } catch {
      /* keep cleaning the others */
    }
  }
}

function onSignal(sig: NodeJS.Signals): void {
  runEmergency();
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.kill(process.pid, sig);
}

export function registerCleanup(fn: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', runEmergency);
  }
  if (emergency.size === 0) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const id = nextId++;
  emergency.set(id, fn);
  return () => {
    emergency.delete(id);
    if (emergency.size === 0) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  };
}

let aptUpdated = false;

/**
 * Installs Debian packages with apt-get. Throws a message that says what to do by hand when
 * apt is missing or we are not root. Runs `apt-get update` once when the package lists are
 * empty or stale ("Unable to locate package").
 */
export async function aptInstall(packages: string[], purpose: string): Promise<void> {
  const apt = which('apt-get');
  if (!apt) {
    throw new Error(`${purpose}: apt-get is not available on this machine; install ${packages.join(' ')} by hand`);
  }
  if (!isRoot()) {
    throw new Error(`${purpose}: installing ${packages.join(' ')} needs root (run: sudo apt-get install ${packages.join(' ')})`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    run(apt, ['install', '-y', '-q', '--no-install-recommends', ...packages], { env, timeoutMs: 15 * 60_000 });
  let r = await install();
  if (r.code !== 0 && !aptUpdated) {
    aptUpdated = true;
    await run(apt, ['update', '-q'], { env, timeoutMs: 5 * 60_000 });
    r = await install();
  }
  if (r.code !== 0) {
    throw new Error(`${purpose}: apt-get install ${packages.join(' ')} failed\n${tail(r.stderr + r.stdout)}`);
  }
}
