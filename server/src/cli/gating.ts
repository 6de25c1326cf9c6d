// The gating options of `vibeguard scan` around the scan itself: before it, which files this run
// covers (--shard, --changed-since) and which baseline applies; after it, which findings count
// (those on changed lines, those not in the baseline) and what the baseline says about the rest.
import * as fs from 'fs';
import * as path from 'path';
import { Baseline, BaselineError, baselineText, readBaseline, type BaselineEntry } from '../baseline';
import type { Config } from '../config';
import type { ScanArgs } from './args';
import { changedSince, type ChangedLines } from './changed';
import { InputError } from './inputError';
import type { ReportFile } from './report';
import { inShard, type Shard } from './shard';
import type { FileFinding } from './types';

export interface ScanFileRef { abs: string; rel: string }

export interface GateContext {
  cwd: string;
  workspaceRoot: string;
  config: Config;
  /** The folder the scanned paths have in common: where git is asked about changes. */
  scanFolder: string;
}

export interface Gate {
  shard?: Shard;
  changed?: ChangedLines;
  baseline?: Baseline;
  /** The baseline's path as the messages show it. */
  baselineShown?: string;
  /** Absolute paths of the scanned paths (files and folders), for what a baseline entry covers. */
  roots: string[];
}

export interface BaselineSummary { file: string; known: number; gone: BaselineEntry[] }

/** Loads the baseline and narrows the walked files to the shard and the changed files. */
export function prepareGate(files: ScanFileRef[], args: ScanArgs, ctx: GateContext): { files: ScanFileRef[]; gate: Gate } {
  const gate: Gate = { shard: args.shard, roots: args.paths.map((p) => path.resolve(ctx.cwd, p)) };
  loadBaseline(gate, args, ctx);
  let selected = files;
  if (gate.shard) selected = selected.filter((f) => inShard(workspaceRelative(f.abs, ctx), gate.shard!));
  if (args.changedSince !== undefined) {
    gate.changed = changedSince(args.changedSince, ctx.scanFolder);
    selected = selected.filter((f) => gate.changed!.has(realPath(f.abs)));
  }
  return { files: selected, gate };
}

function loadBaseline(gate: Gate, args: ScanArgs, ctx: GateContext) {
  if (args.writeBaseline !== undefined || args.noBaseline) return;
  const fromConfig = args.baseline === undefined && ctx.config.baseline !== undefined;
  const file = args.baseline !== undefined ? path.resolve(ctx.cwd, args.baseline) : fromConfig ? path.resolve(ctx.workspaceRoot, ctx.config.baseline!) : undefined;
  if (!file) return;
  gate.baselineShown = path.relative(ctx.cwd, file) || file;
  try {
    gate.baseline = readBaseline(file, gate.baselineShown);
  } catch (e) {
    if (!(e instanceof BaselineError)) throw e;
    const hint = fromConfig ? ` (named by "baseline" in the configuration; create it with --write-baseline ${gate.baselineShown}, or run with --no-baseline)` : '';
    throw new InputError(`vibeguard: ${e.message}${hint}\n`);
  }
}

/**
 * Applies the gate to the scan's report in place: --changed-since keeps the findings on changed
 * lines, a baseline drops the findings it records. Returns what the baseline accounted for.
 */
export function applyGate(report: ReportFile[], absPaths: readonly string[], gate: Gate, ctx: GateContext): BaselineSummary | undefined {
  if (gate.changed) {
    report.forEach((f, i) => {
      const lines = gate.changed!.get(realPath(absPaths[i]));
      f.findings = f.findings.filter((x) => onChangedLines(x, lines));
    });
  }
  const baseline = gate.baseline;
  if (!baseline) return undefined;
  const matched = new Set<string>();
  report.forEach((f, i) => {
    f.findings = f.findings.filter((x) => {
      const key = baseline.match(absPaths[i], x.rule, x.fingerprint);
      if (key !== undefined) matched.add(key);
      return key === undefined;
    });
  });
  const scanned = new Set(absPaths);
  const covers = (abs: string) => scanned.has(abs) || (!gate.changed && deletedUnder(abs, gate, ctx));
  return { file: gate.baselineShown!, known: matched.size, gone: baseline.gone(matched, covers) };
}

/**
 * A finding on a changed line (any line of its range), or about the file as a whole (an empty
 * range at its very start), in a changed file.
 */
export function onChangedLines(f: FileFinding, lines: ReadonlySet<number> | 'all' | undefined): boolean {
  if (lines === undefined) return false;
  if (lines === 'all') return true;
  if (f.line === 1 && f.column === 1 && f.endLine === 1 && f.endColumn === 1) return true;
  for (let l = f.line; l <= f.endLine; l++) if (lines.has(l)) return true;
  return false;
}

/** An entry's file deleted since the baseline: gone with it, when the scan covers where it was. */
function deletedUnder(abs: string, gate: Gate, ctx: GateContext): boolean {
  if (fs.existsSync(abs)) return false;
  if (!gate.roots.some((r) => abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return false;
  return !gate.shard || inShard(workspaceRelative(abs, ctx), gate.shard);
}

/** --write-baseline: records every finding of the report; returns how many. */
export function writeBaseline(file: string, report: readonly ReportFile[], absPaths: readonly string[], cwd: string): number {
  const target = path.resolve(cwd, file);
  const shape = new Baseline(target, []);
  const entries = report.flatMap((f, i) => f.findings.map((x) => ({ file: shape.relative(absPaths[i]), rule: x.rule, fingerprint: x.fingerprint })));
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, baselineText(entries));
  } catch (e) {
    throw new InputError(`vibeguard: cannot write the baseline ${file}: ${(e as Error).message}\n`);
  }
  return entries.length;
}

/** One line for the text report or stderr. */
export function formatBaselineSummary(s: BaselineSummary): string {
  const known = `${s.known} known finding${s.known === 1 ? '' : 's'} in the baseline ${s.file} not shown`;
  if (!s.gone.length) return `${known}\n`;
  const n = s.gone.length;
  return `${known}; ${n} of its entries ${n === 1 ? 'is' : 'are'} gone (fixed or changed): refresh it with --write-baseline ${s.file}\n`;
}

function workspaceRelative(abs: string, ctx: GateContext): string {
  return path.relative(ctx.workspaceRoot, abs).split(path.sep).join('/');
}

function realPath(abs: string): string {
  try { return fs.realpathSync.native(abs); } catch { return abs; }
}
