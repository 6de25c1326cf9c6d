/**
 * Serving Python code under test over real HTTP: the module is written into a temp dir,
 * apps/python/serve_wsgi.py imports it and serves its WSGI app (Flask, Django) with werkzeug on a
 * free loopback port (apps/python/serve_asgi.py serves an ASGI app such as FastAPI with uvicorn),
 * and close() stops the process and removes the dir. Debian's interpreter runs it
 * (/usr/bin/python3, whose packages apt installs), not whatever python3 is first on PATH.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { aptInstall, registerCleanup, timeLimit, removeDir, tail } from './util';
import { fixReport } from './report';

/** Debian's Python, whose modules come from python3-* packages; python3 on PATH when there is none. */
export const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** The Debian package of each Python module the suites import. */
const DEBIAN_PACKAGE: Record<string, string> = {
  flask: 'python3-flask',
  werkzeug: 'python3-werkzeug',
  psycopg2: 'python3-psycopg2',
  sqlalchemy: 'python3-sqlalchemy',
  django: 'python3-django',
  fastapi: 'python3-fastapi',
  // FastAPI's File/UploadFile parameters need it; python3-starlette only recommends it.
  multipart: 'python3-multipart',
  uvicorn: 'uvicorn',
  stripe: 'python3-stripe',
  itsdangerous: 'python3-itsdangerous',
  jwt: 'python3-jwt',
  bcrypt: 'python3-bcrypt',
  requests: 'python3-requests',
  flask_limiter: 'python3-flask-limiter',
};

export interface PythonServed {
  url: string;
  /** The folder the module runs in (its relative paths resolve here). */
  dir: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** Why `python3` cannot import the given modules (a reason for the report), or null when it can. */
export function pythonMissing(...modules: string[]): string | null {
  const r = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return `python3 is not available (${r.error.message})`;
  if (r.status === 0) return null;
  const m = /No module named '([^']+)'/.exec(r.stderr);
  return m ? `the Python module ${m[1]} is not installed` : `python3 cannot import ${modules.join(', ')}: ${tail(r.stderr, 1)}`;
}

/**
 * Like pythonMissing, but first installs the Debian packages of missing modules with apt-get
 * (unless VIBEGUARD_NO_APT=1); the reason when they still cannot be imported.
 */
export async function pythonReady(...modules: string[]): Promise<string | null> {
  const missing = modules.filter((m) => pythonMissing(m));
  const packages = [...new Set(missing.map((m) => DEBIAN_PACKAGE[m]).filter(Boolean))];
  if (packages.length && process.env.VIBEGUARD_NO_APT !== '1') {
    try {
      await aptInstall(packages, `Python modules ${missing.join(', ')}`);
    } catch (err) {
      return (err as Error).message.split('\n')[0];
    }
  }
  return pythonMissing(...modules);
}

export interface PythonServeOptions {
  /** Serve the module's `app` as ASGI (FastAPI) with uvicorn instead of WSGI with werkzeug. */
  asgi?: boolean;
  /** Files written beside the module first (relative path → content), e.g. a generated helper. */
  files?: Record<string, string>;
  /** Module file name inside the temp dir; app.py by default. */
  filename?: string;
  /** Called with the temp dir before the module is imported, e.g. to create its database. */
  prepare?: (dir: string) => void;
  /** Plain functions of the module to expose as GET /__call/NAME?arg=VALUE. */
  functions?: string[];
  /** Set for the process; undefined removes a variable inherited from this one. */
  env?: Record<string, string | undefined>;
  python?: string;
}

export async function servePython(source: string, opts: PythonServeOptions = {}): Promise<PythonServed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-py-'));
  let child: ChildProcess | undefined;
  const unregister = registerCleanup(() => {
    child?.kill('SIGKILL');
    removeDir(dir);
  });
  const entry = path.join(dir, opts.filename ?? 'app.py');
  let stderr = '';
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.stdin?.end();
      await Promise.race([exited, timeLimit(3_000)]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await Promise.race([exited, timeLimit(3_000)]);
      }
    }
    removeDir(dir);
    unregister();
  };
  try {
    for (const [rel, text] of Object.entries(opts.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    fs.mkdirSync(path.dirname(entry), { recursive: true });
    fs.writeFileSync(entry, source);
    opts.prepare?.(dir);
    const runner = path.join(repoRoot(), 'test', 'systems', 'apps', 'python', opts.asgi ? 'serve_asgi.py' : 'serve_wsgi.py');
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const proc = spawn(opts.python ?? PYTHON, [runner, entry, ...(opts.functions ?? [])], {
      cwd: dir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdin!.on('error', () => undefined);
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the Python app did not start within 30 s\n${tail(stderr)}`)), 30_000);
      proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /PORT (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the Python app exited with ${code} before serving\n${tail(stderr)}`));
      });
    });
    let closing: Promise<void> | undefined;
    return { url: `http://127.0.0.1:${port}`, dir, stderr: () => stderr, close: () => (closing ??= stop()) };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface DriverResult {
  stdout: string;
  stderr: string;
  /** The process was still running at the time limit (and was killed). */
  timedOut: boolean;
  ms: number;
}

/**
 * Runs apps/python/run_threads.py over a module (the code under test) with the given mode and
 * target, killing it at `limitMs`: concurrent claims, withdrawals, or one outbound call.
 */
export async function runPythonDriver(module: string, mode: 'claim' | 'withdraw' | 'call', target: string, limitMs: number): Promise<DriverResult> {
  const runner = path.join(repoRoot(), 'test', 'systems', 'apps', 'python', 'run_threads.py');
  const t0 = Date.now();
  const proc = spawn(PYTHON, [runner, module, mode, target], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const unregister = registerCleanup(() => proc.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; proc.kill('SIGKILL'); }, limitMs);
  await new Promise((r) => proc.once('exit', r));
  clearTimeout(timer);
  unregister();
  return { stdout, stderr, timedOut, ms: Date.now() - t0 };
}

/**
 * A suite's `before` for checks served by /usr/bin/python3: installs the Debian packages of the
 * modules it needs when missing, and otherwise records the check as not run, with the reason, and
 * skips it.
 */
export async function skipWithoutPython(ctx: Mocha.Context, rule: string, label: string, ...modules: string[]): Promise<void> {
  ctx.timeout(20 * 60_000);
  const why = await pythonReady(...modules);
  if (!why) return;
  fixReport.recordNotRun(rule, label, why);
  ctx.skip();
}
