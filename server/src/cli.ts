// The `vibeguard` command line: the same engine and .vibeguard.json as the editor, for terminals
// and CI. Usage and exit codes are in cli/args.ts (USAGE).
import * as fs from 'fs';
import * as path from 'path';
import { allRules } from '../../rules/index';
import type { Severity } from '../../rules/kit/rule';
import { packageInfo, ruleDocUrl } from './docsUrl';
import { parseArgs, UsageError, USAGE, type ScanArgs } from './cli/args';
import { collectFiles, toPosix } from './cli/walk';
import { ScanPool } from './cli/pool';
import { availableCores, settleTiering } from './cli/tiering';
import { formatFixCoverage, type ReportFile } from './cli/report';
import { commonFolder, ConfigError, loadConfiguration } from './cli/configLoad';
import { exitCode, unanalysedSummary } from './cli/gate';
import { escapeControl } from './cli/escape';
import { redactSecrets } from '../../rules/kit/frameworks/redact';
import { formatText, formatFixesApplied, style } from './cli/formats/text';
import { formatJson } from './cli/formats/json';
import { formatSarif } from './cli/formats/sarif';
import { languageNames, staticFixTitle } from './cli/ruleHelp';
import { runHook } from './cli/hook';
import { HookInputError } from './cli/hookInput';
import { startLsp, startMcp } from './cli/servers';
import { InputError } from './cli/inputError';
import { applyGate, formatBaselineSummary, prepareGate, writeBaseline } from './cli/gating';
import { formatStats, type StatsInput } from './cli/stats';
import { openScanCache } from './cli/resultCache';
import type { ScanOptions } from './cli/types';

// The rule registry itself, not engine.ts: the main thread never loads the engine (the workers do).
const RULES = allRules;
const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

/** Each worker thread loads its own engine, which pays off only with this many files to share. */
const FILES_PER_JOB = 20;

export async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`vibeguard: ${e.message}\nRun \`vibeguard --help\` for usage.\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help': process.stdout.write(USAGE); return 0;
    case 'version': process.stdout.write(`${packageInfo().version}\n`); return 0;
    case 'rules': process.stdout.write(command.format === 'json' ? rulesJson() : rulesText()); return 0;
    case 'scan':
      try {
        return await scan(command.args);
      } catch (e) {
        if (!(e instanceof InputError || e instanceof ConfigError)) throw e;
        process.stderr.write(e.message);
        return 2;
      }
    case 'hook':
      try {
        return await runHook(command.args);
      } catch (e) {
        // Never 2: for Claude Code that would hand our own failure to the model as a finding.
        process.stderr.write(`vibeguard hook: ${e instanceof HookInputError ? e.message : `internal error: ${(e as Error).stack ?? e}`}\n`);
        return 1;
      }
    case 'mcp':
      if (!fs.statSync(command.root, { throwIfNoEntry: false })?.isDirectory()) {
        process.stderr.write(`vibeguard mcp: --root ${command.root} is not a folder\n`);
        return 2;
      }
      await startMcp(command.root);
      return 0;
    case 'lsp': startLsp(); return 0;
  }
}

async function scan(args: ScanArgs): Promise<number> {
  const started = performance.now();
  const cwd = process.cwd();
  const { config, workspaceRoot, configRoot } = loadConfiguration(args.config, args.paths, cwd, RULE_IDS);
  // Test-file patterns and the built-in test folders are judged relative to the workspace.
  config.root ??= configRoot ?? workspaceRoot;
  const workerScript = path.join(__dirname, 'scanWorker.js');
  if (!fs.existsSync(workerScript)) throw new InputError(`vibeguard: ${workerScript} is missing; run \`npm run build\`\n`);

  const walk = collectFiles(args.paths, cwd, { workspaceRoot, ignoreGlobs: config.ignore });
  if (walk.missing.length) throw new InputError(walk.missing.map((p) => `vibeguard: no such file or folder: ${escapeControl(p)}\n`).join(''));
  const walked = walk.files.map((abs) => ({ abs, rel: toPosix(path.relative(cwd, abs)) || path.basename(abs) }));
  walked.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const gateContext = { cwd, workspaceRoot, config, scanFolder: commonFolder(args.paths.map((p) => path.resolve(cwd, p))) };
  const { files, gate } = prepareGate(walked, args, gateContext);

  const options: ScanOptions = { config, workspaceRoot, configRoot, fixEdits: args.format === 'sarif' && !args.fix, timeRules: args.stats, recordDependencies: args.cache };
  const cacheNotes: string[] = [];
  const cache = args.cache ? openScanCache(args.cacheLocation, cwd, options, workerScript, (m) => cacheNotes.push(`vibeguard: ${m}\n`)) : undefined;
  // Cached files are answered before any worker starts; only the others are analysed.
  const plan = cache?.plan(files.map((f) => f.abs));
  const toScan = plan ? plan.todo.map((i) => files[i].abs) : files.map((f) => f.abs);
  let jobs = Math.min(args.jobs ?? Math.min(availableCores(), Math.ceil(toScan.length / FILES_PER_JOB)), toScan.length);
  if (!jobs && args.fix && plan?.results.some((r) => r?.findings.some((x) => x.fix))) jobs = 1;
  settleTiering(jobs);
  const pool = new ScanPool(jobs, options, workerScript);
  let report: ReportFile[];
  let lines = 0;
  const timings: StatsInput['timings'] = [];
  try {
    const fresh = await pool.scan(toScan);
    const results = cache && plan ? cache.complete(plan, fresh) : fresh;
    report = results.map((r, i) => ({ path: files[i].rel, findings: r.findings, notices: r.notices }));
    results.forEach((r, i) => {
      lines += r.lines;
      if (r.timing) timings.push({ path: escapeControl(files[i].rel), timing: r.timing });
    });
    if (args.fix) await applyFixes(pool, report, files.map((f) => f.abs), args.unsafeFixes || config.unsafeFixes);
  } finally {
    await pool.close();
  }

  // Notices can quote whatever an error said; they pass the same redaction as findings.
  for (const f of report) for (const n of f.notices) n.message = redactSecrets(n.message);
  const err: string[] = [...walk.warnings.map((w) => `${escapeControl(w)}\n`), ...cacheNotes.map(escapeControl)];
  for (const f of report) for (const n of f.notices) err.push(`${escapeControl(f.path)}: ${escapeControl(n.message)}\n`);
  const absPaths = files.map((f) => f.abs);
  const known = applyGate(report, absPaths, gate, gateContext);
  const knownLine = known ? formatBaselineSummary(known) : '';
  if (args.writeBaseline !== undefined) {
    const n = writeBaseline(args.writeBaseline, report, absPaths, cwd);
    err.push(`vibeguard: wrote ${n} finding${n === 1 ? '' : 's'} to the baseline ${args.writeBaseline}\n`);
  }
  // After the baseline and the gate, which account for every finding: only the shown ones go.
  const hidden = dropBelow(report, args.minSeverity);
  const fixed = formatFixesApplied(report);
  let out: string;
  if (args.format === 'json') out = formatJson(report, known);
  else if (args.format === 'sarif') out = formatSarif(report, RULES, config, cwd, { shard: gate.shard, baseline: known, warn: (m) => err.push(`vibeguard: ${m}\n`) });
  else out = (fixed ? fixed + '\n' : '') + formatText(report, style(args.color ?? colourWanted())) + knownLine;
  if (args.format !== 'text') err.push(fixed, knownLine && `vibeguard: ${knownLine}`);
  if (hidden) err.push(`vibeguard: ${hidden} finding${hidden === 1 ? '' : 's'} below ${args.minSeverity} not shown (--min-severity info shows them)\n`);
  if (args.stats) {
    err.push(formatStats({ files: files.length, lines, seconds: (performance.now() - started) / 1000, jobs, timings }));
    err.push(formatFixCoverage(report));
    if (cache) err.push(`vibeguard: ${cache.hits} of ${files.length} file${files.length === 1 ? '' : 's'} from the result cache ${escapeControl(cache.file)}\n`);
  }
  err.push(unanalysedSummary(report, args.allowUnanalysed));
  process.stderr.write(err.join(''));
  process.stdout.write(out);
  // A baseline just written records every finding: none of them is new.
  return args.writeBaseline === undefined ? exitCode(report, args.failOn, args.allowUnanalysed) : exitCode(report, 'off', args.allowUnanalysed);
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2 } as const;

/** Drops the findings below `min` from the report; returns how many went. */
function dropBelow(report: ReportFile[], min: Severity): number {
  let dropped = 0;
  for (const f of report) {
    const kept = f.findings.filter((x) => SEVERITY_RANK[x.severity] >= SEVERITY_RANK[min]);
    dropped += f.findings.length - kept.length;
    f.findings = kept;
  }
  return dropped;
}

/** --fix: the files with an applicable fix are fixed by one worker; what remains replaces the scan's findings. */
async function applyFixes(pool: ScanPool, report: ReportFile[], absPaths: string[], unsafe: boolean): Promise<void> {
  const todo = report.flatMap((f, i) => (f.findings.some((x) => x.fix && (x.fix.safety === 'safe' || unsafe)) ? [i] : []));
  const outcomes = await pool.fix(todo.map((i) => absPaths[i]), unsafe);
  outcomes.forEach((o, k) => {
    const f = report[todo[k]];
    f.notices.push(...o.notices);
    if (o.applied && o.findings) { f.findings = o.findings; f.fixesApplied = o.applied; }
  });
}

function colourWanted(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return !!process.stdout.isTTY;
}

function rulesText(): string {
  const rows = RULES.map((r) => [r.id, r.severity, languageNames(r), r.category, r.fix ? `${staticFixTitle(r)} (${r.fix.safety})` : '-']);
  const head = ['RULE', 'SEVERITY', 'LANGUAGES', 'CATEGORY', 'QUICK FIX'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ') + '\n';
  return line(head) + rows.map(line).join('');
}

function rulesJson(): string {
  return JSON.stringify({
    rules: RULES.map((r) => ({
      id: r.id, severity: r.severity, category: r.category, languages: r.languages, cwe: r.cwe ?? null,
      summary: r.docs.summary,
      fix: r.fix ? { title: staticFixTitle(r), safety: r.fix.safety } : null,
      docs: ruleDocUrl(r.id),
    })),
  }, null, 2) + '\n';
}

// Output piped into a command that stops reading (`| head`) ends the run quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); throw e; });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: Error) => {
    process.stderr.write(`vibeguard: internal error: ${e.stack ?? e.message}\n`);
    process.exitCode = 2;
  },
);
