// Scan throughput: the real CLI (bin/vibeguard.js, i.e. dist/cli.js) over a generated project,
// timed from spawn to exit (Node start-up and engine load included, as a CI job pays them), once
// single-threaded and once with a worker thread per core. The peak RSS of each run comes from
// getrusage in the CLI process itself (rssProbe.js, preloaded), which covers every thread.
import * as fs from 'fs';
import * as path from 'path';
import { round, run } from './stats';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'bin', 'vibeguard.js');
const PROBE = path.join(__dirname, 'rssProbe.js');

export interface ScanRun {
  jobs: number;
  runs: number;
  /** Median wall time from spawn to exit. */
  wallMs: number;
  linesPerSecond: number;
  /** The CLI's own figure (from one more run with --stats): from its start to the report, without Node start-up. */
  cliReportedLinesPerSecond: number | null;
  peakRssMb: number | null;
  findings: number;
}

export function cliAvailable(): boolean {
  return fs.existsSync(CLI) && fs.existsSync(path.join(ROOT, 'dist', 'cli.js'));
}

/**
 * Runs `vibeguard scan <dir> --format json --jobs N` `runs` times, as a CI job runs it; medians of
 * wall time. One run before them is not counted: it leaves the V8 code cache of this job count's
 * V8 flags (cli/tiering.ts) in place, as every run but the first after an install finds it. One
 * run after them adds `--stats` for the CLI's own figure; the timing of each rule that `--stats`
 * turns on costs about 6%, so it is kept out of the timed runs.
 */
export async function scanRun(dir: string, lines: number, jobs: number, runs: number, tmp: string): Promise<ScanRun> {
  const once = async (label: string, stats: boolean) => {
    const rssFile = path.join(tmp, `rss-${jobs}-${label}.txt`);
    const r = await run(process.execPath, ['--require', PROBE, CLI, 'scan', dir, '--format', 'json', '--jobs', String(jobs), '--fail-on', 'off', ...(stats ? ['--stats'] : [])], {
      cwd: dir,
      env: { ...process.env, VIBEGUARD_BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
      timeoutMs: 180_000,
    });
    if (r.timedOut) throw new Error(`vibeguard scan --jobs ${jobs} did not finish in 180 s`);
    if (r.code !== 0) throw new Error(`vibeguard scan --jobs ${jobs} exited with ${r.code}: ${r.stderr.slice(0, 500)}`);
    return {
      wallMs: r.wallMs,
      stderr: r.stderr,
      rssMb: fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) / 1024 : null,
      findings: (JSON.parse(r.stdout) as { findings: unknown[] }).findings.length,
    };
  };
  await once('warm-up', false);
  const done: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < runs; i++) done.push(await once(String(i), false));
  const m = /\((\d+) lines\/s/.exec((await once('stats', true)).stderr);
  // The run with the median wall time (nearest rank: the faster of two) gives every figure but the
  // peak RSS, which is the largest of the timed runs.
  const mid = [...done].sort((a, b) => a.wallMs - b.wallMs)[Math.ceil(done.length / 2) - 1];
  const rss = done.map((d) => d.rssMb).filter((x): x is number => x !== null);
  return {
    jobs,
    runs,
    wallMs: round(mid.wallMs, 0),
    linesPerSecond: Math.round(lines / (mid.wallMs / 1000)),
    cliReportedLinesPerSecond: m ? Number(m[1]) : null,
    peakRssMb: rss.length ? round(Math.max(...rss), 1) : null,
    findings: mid.findings,
  };
}

export interface CachedScanRun {
  jobs: number;
  /** The first `--cache` run, with an empty cache: every file analysed, the cache written. */
  coldMs: number;
  /** Median wall time of the re-scans of the unchanged tree with the cache warm. */
  warmMs: number;
  warmRuns: number;
  /** Files the warm runs took from the cache, of all files. */
  hits: number;
  files: number;
  /** The warm runs printed exactly what the cold run printed. */
  identical: boolean;
}

/** `vibeguard scan --cache` into a fresh cache: one cold run, then `warmRuns` re-scans of the unchanged tree. */
export async function cachedScanRun(dir: string, jobs: number, warmRuns: number, tmp: string): Promise<CachedScanRun> {
  const cache = path.join(tmp, `result-cache-${jobs}`);
  fs.rmSync(cache, { recursive: true, force: true });
  const once = async () => {
    const r = await run(process.execPath, [CLI, 'scan', dir, '--format', 'json', '--jobs', String(jobs), '--fail-on', 'off', '--stats', '--cache-location', cache], {
      cwd: dir, env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 180_000,
    });
    if (r.timedOut || r.code !== 0) throw new Error(`vibeguard scan --cache exited with ${r.timedOut ? 'a timeout' : r.code}: ${r.stderr.slice(0, 500)}`);
    const m = /(\d+) of (\d+) files? from the result cache/.exec(r.stderr);
    if (!m) throw new Error(`vibeguard scan --cache printed no cache figure: ${r.stderr.slice(-500)}`);
    return { wallMs: r.wallMs, stdout: r.stdout, hits: Number(m[1]), files: Number(m[2]) };
  };
  const cold = await once();
  const warm: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < warmRuns; i++) warm.push(await once());
  const mid = [...warm].sort((a, b) => a.wallMs - b.wallMs)[Math.ceil(warm.length / 2) - 1];
  return {
    jobs,
    coldMs: round(cold.wallMs, 0),
    warmMs: round(mid.wallMs, 0),
    warmRuns,
    hits: Math.min(...warm.map((w) => w.hits)),
    files: cold.files,
    identical: warm.every((w) => w.stdout === cold.stdout),
  };
}
