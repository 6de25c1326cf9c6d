// Small numeric and process helpers shared by the benchmark stages.
import * as fs from 'fs';
import { spawn, type ChildProcess } from 'child_process';

export interface Summary { n: number; min: number; p50: number; p95: number; max: number; mean: number }

/** Nearest-rank percentile of an unsorted sample (p in 0..100). */
export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export function median(xs: readonly number[]): number { return percentile(xs, 50); }

export function summarise(xs: readonly number[]): Summary {
  return {
    n: xs.length,
    min: round(Math.min(...xs)),
    p50: round(percentile(xs, 50)),
    p95: round(percentile(xs, 95)),
    max: round(Math.max(...xs)),
    mean: round(xs.reduce((a, b) => a + b, 0) / xs.length),
  };
}

/** Three significant decimals are plenty for milliseconds and ratios; keeps results.json readable. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** VmRSS (current) and VmHWM (peak) of a live process, in MB, from /proc (Linux only). */
export function procMemory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  let status: string;
  try { status = fs.readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { return undefined; }
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: round(kb('VmRSS') / 1024, 1), hwmMb: round(kb('VmHWM') / 1024, 1) };
}

export interface RunResult { code: number | null; wallMs: number; stdout: string; stderr: string; timedOut: boolean }

const live = new Set<ChildProcess>();

/** Kills every command `run` started that is still running (the watchdog's way out). */
export function killRunning(): void {
  for (const c of live) c.kill('SIGKILL');
}

/** Runs a command to completion, timing it from spawn to exit; kills it after `timeoutMs`. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      live.delete(child);
      clearTimeout(timer);
      resolve({ code, wallMs: performance.now() - t0, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

export function sleep(ms: number): Promise<void> { return new Promise((r) => setTimeout(r, ms)); }
