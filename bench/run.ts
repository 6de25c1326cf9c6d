// `npm run bench`: every figure of the performance issue in one run, printed as a table and
// written to bench/results.json. Generated inputs live in a temporary folder removed at the end.
// `node out/bench/run.js --only floor,peers` runs a subset (the other figures are null).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine, RULES } from '../server/src/engine';
import { generateFiles, generateProject, generateSource, writeProject } from './generate';
import { measureOnType } from './lsp';
import { ON_TYPE_STREAM } from './edits';
import { measureFloorInAnalysisThread, type FloorRow } from './floor';
import { cachedScanRun, cliAvailable, scanRun, ROOT } from './scan';
import { measureServerMemory } from './memory';
import { measureWorkspaceModel, writeFactSources } from './workspace-model';
import { peersCli, peersInProcess } from './peers';
import { machineLine, ruleTable, summaryLine, table, targets, type Results } from './report';
import { killRunning, round } from './stats';

const STAGES = ['onType', 'floor', 'scan', 'workspace', 'memory', 'peers'] as const;
type Stage = (typeof STAGES)[number];

const SEED = ON_TYPE_STREAM.seed;
const SCAN_LINES = 100_000;
const OPEN_FILES = 5_000;
/** A hard stop well above the ~3 minutes a full run takes on 2 idle cores. */
const WATCHDOG_MS = 10 * 60_000;

function parseOnly(argv: string[]): Set<Stage> {
  const i = argv.indexOf('--only');
  if (i === -1) return new Set(STAGES);
  const picked = (argv[i + 1] ?? '').split(',').filter(Boolean);
  for (const s of picked) if (!(STAGES as readonly string[]).includes(s)) throw new Error(`--only: unknown stage ${s} (stages: ${STAGES.join(', ')})`);
  return new Set(picked as Stage[]);
}

async function main(): Promise<number> {
  const only = parseOnly(process.argv.slice(2));
  const started = performance.now();
  const cpus = os.cpus();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-bench-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  process.once('SIGINT', () => { cleanup(); process.exit(130); });
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} minutes; stopping\n`);
    killRunning();
    cleanup();
    process.exit(3);
  }, WATCHDOG_MS);
  watchdog.unref();

  const r: Results = {
    schema: 1,
    date: new Date().toISOString(),
    durationS: 0,
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}`, loadAverage1m: round(os.loadavg()[0], 2) },
    rules: RULES.length,
    onTypeP95Ms: null,
    analysisOverParse: null,
    analysisOverParse10k: null,
    pyAnalysisOverParse: null,
    floorGrowth: { ts: null, py: null },
    kitAnalysisOverParse: null,
    eslintSpeedup: null,
    eslintSpeedupLarge: null,
    scanLinesPerSecond: null,
    cachedRescanSpeedup: null,
    serverRssMb: null,
    workspaceModel: null,
    cliPeakRssMb: null,
    targets: [],
    onType: null,
    floor: null,
    scan: null,
    cachedScan: null,
    memory: null,
    peers: { inProcess: null, cli: null },
    errors: {},
  };
  const stage = async (name: string, fn: () => Promise<void>) => {
    const t0 = performance.now();
    process.stderr.write(`bench: ${name}...`);
    try {
      await fn();
      process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (e) {
      r.errors[name] = (e as Error).message;
      process.stderr.write(` failed: ${(e as Error).message}\n`);
    }
  };

  try {
    const engine = await Engine.create();
    const large = generateSource('ts', 2000, SEED);
    const project = generateProject(SCAN_LINES, SEED);
    const projectDir = path.join(tmp, 'project');
    writeProject(projectDir, project);
    const workspace = path.join(tmp, 'workspace');
    fs.mkdirSync(workspace);

    if (only.has('floor')) await stage('floor', async () => {
      r.floor = await measureFloorInAnalysisThread([200, 2000, 10000], SEED, { 200: 3000, 2000: 4000, 10000: 6000 });
      r.analysisOverParse = r.floor.ts.find((x) => x.lines === 2000)!.ratio;
      const growth = (rows: FloorRow[]) => {
        const at = (n: number) => rows.find((x) => x.lines === n)?.ratio;
        const [a, b] = [at(2000), at(10000)];
        return a && b ? round(b / a, 2) : null;
      };
      r.floorGrowth = { ts: growth(r.floor.ts), py: growth(r.floor.py) };
      r.kitAnalysisOverParse = r.floor.kit.ts.find((x) => x.lines === 2000)?.ratio ?? null;
      r.analysisOverParse10k = r.floor.ts.find((x) => x.lines === 10000)?.ratio ?? null;
      const py = r.floor.py.filter((x) => x.lines >= 2000).map((x) => x.ratio);
      r.pyAnalysisOverParse = py.length ? Math.max(...py) : null;
    });

    // The peers' files: the first 120 JS/TS files of the project plus the 2,000-line file, in a
    // folder of their own so both CLIs can be pointed at exactly these files.
    const peerFiles = [...project.filter((f) => f.lang !== 'py').slice(0, 120), { rel: 'web/src/routes/large.ts', lang: 'ts' as const, text: large, lines: 2000 }];
    const peerDir = path.join(tmp, 'peers');
    writeProject(peerDir, peerFiles);

    if (only.has('peers')) await stage('peersInProcess', async () => {
      r.peers.inProcess = await peersInProcess(engine, peerDir, peerFiles.slice(0, -1), peerFiles[peerFiles.length - 1], 2);
      r.eslintSpeedup = r.peers.inProcess.speedup;
      r.eslintSpeedupLarge = r.peers.inProcess.large.speedup;
    });

    if (only.has('onType')) await stage('onType', async () => {
      r.onType = await measureOnType(workspace, large, ON_TYPE_STREAM);
      r.onTypeP95Ms = r.onType.all.p95;
    });

    if (only.has('scan')) await stage('scan', async () => {
      if (!cliAvailable()) throw new Error('dist/cli.js is missing: run npm run build');
      const lines = project.reduce((a, f) => a + f.lines, 0);
      const single = await scanRun(projectDir, lines, 1, 2, tmp);
      const parallel = await scanRun(projectDir, lines, cpus.length, 2, tmp);
      r.scan = { lines, files: project.length, single, parallel };
      r.scanLinesPerSecond = parallel.linesPerSecond;
      r.cliPeakRssMb = Math.max(single.peakRssMb ?? 0, parallel.peakRssMb ?? 0) || null;
      // The same tree scanned again, unchanged, with the result cache warm, against the scan above.
      const cached = await cachedScanRun(projectDir, cpus.length, 3, tmp);
      r.cachedScan = { ...cached, uncachedMs: parallel.wallMs };
      r.cachedRescanSpeedup = cached.identical && cached.hits === cached.files ? round(parallel.wallMs / cached.warmMs, 1) : null;
    });

    // After the scan: the fact files it adds to the tree would change the scan's findings.
    if (only.has('workspace')) await stage('workspace', async () => {
      writeFactSources(projectDir);
      r.workspaceModel = measureWorkspaceModel(projectDir, project.reduce((a, f) => a + f.lines, 0));
    });

    if (only.has('memory')) await stage('memory', async () => {
      r.memory = await measureServerMemory(workspace, generateFiles(OPEN_FILES, SEED + 1));
      r.serverRssMb = r.memory.analysedRssMb;
    });

    if (only.has('peers')) await stage('peersCli', async () => {
      if (!cliAvailable()) throw new Error('dist/cli.js is missing: run npm run build');
      r.peers.cli = await peersCli(peerDir, 'web', peerFiles, cpus.length, tmp);
    });
  } finally {
    cleanup();
  }

  r.durationS = Math.round((performance.now() - started) / 1000);
  r.targets = targets(r);
  const results = r;
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  const rules = ruleTable(results);
  process.stdout.write(`\n${machineLine(results)}\n\n${table(results)}\n\n${rules ? `${rules}\n\n` : ''}${summaryLine(results)}\n`);
  process.stdout.write(`written: ${path.relative(process.cwd(), path.join(ROOT, 'bench', 'results.json')) || 'bench/results.json'}\n`);
  clearTimeout(watchdog);
  return Object.keys(r.errors).length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => { process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`); process.exit(1); },
);
