// Cost over the floor: what one analysis costs (parse + conversion to the IR + code model + every
// rule, as Engine.analyze reports it in parseMs + analyzeMs) against the bare parse of the same
// text (ts.createSourceFile with the same script kind; tree-sitter's parse for Python), which no
// analysis of a fresh document version can avoid. Both are timed in the same loop, interleaved,
// so machine noise hits both sides alike, each after a young-generation collection (see gc.ts).
// `npm run bench` measures it in a thread configured like the product's analysis threads.
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as ts from 'typescript';
import { ANALYSIS_RESOURCE_LIMITS } from '../server/src/limits';
import { Parser, Language } from 'web-tree-sitter';
import { RULES, type Engine } from '../server/src/engine';
import { DEFAULT_CONFIG, type Config } from '../server/src/config';
import { scriptKindFor } from '../server/src/frontends/typescript';
import { generateSource, type GenLang } from './generate';
import { median, round, summarise, type Summary } from './stats';
import { youngGc } from './gc';

export interface FloorRow {
  lines: number;
  iterations: number;
  analysisMs: Summary;
  /** Medians of the engine's own split: parse (incl. conversion to the IR) and rules. */
  parseMs: number;
  analyzeMs: number;
  bareParseMs: Summary;
  /** Median analysis time over median bare parse time. */
  ratio: number;
  /**
   * The same ratio from CPU time (process.cpuUsage, all threads) instead of wall time: steadier
   * when other processes compete for the cores, since time spent descheduled is not counted.
   */
  cpuRatio: number;
  findings: number;
  /**
   * Where the analysis time goes, from separate runs with per-rule timing on (two clock reads per
   * visitor call, so these runs are not the ones timed above): median ms per analysis for parse +
   * IR + model, for all rules, and for each rule that ran.
   */
  split: { parseMs: number; rulesMs: number; ruleMs: Record<string, number> };
}

export interface FloorResult {
  ts: FloorRow[];
  py: FloorRow[];
  /**
   * TypeScript at 2,000 and 10,000 lines with only the six rules the kit issue measured: the engine's
   * own cost, apart from what each rule added since (the 3.2x at 2,000 lines before the kit was
   * measured with these rules).
   */
  kit: { rules: string[]; ts: FloorRow[] };
}

/** The rules that existed when the kit and engine were reshaped (issue 9). */
export const KIT_ISSUE_RULES = ['sql-injection', 'hardcoded-secret', 'webhook-unverified', 'webhook-not-idempotent', 'token-in-url', 'connection-per-request'];

let pyParser: Parser | undefined;

/** A second tree-sitter parser with the same grammar the engine uses (Engine.create() ran Parser.init). */
async function pythonParser(): Promise<Parser> {
  if (pyParser) return pyParser;
  const wasm = fs.readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const p = new Parser();
  p.setLanguage(await Language.load(wasm));
  return (pyParser = p);
}

export function bareParser(lang: 'ts' | 'py', file: string): (text: string) => void {
  if (lang === 'ts') {
    const kind = scriptKindFor(file);
    return (text) => { ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind); };
  }
  const p = pyParser!;
  return (text) => { p.parse(text)?.delete(); };
}

/** Times one file size: a time budget bounds the loop, with a floor and a ceiling on iterations. */
export function measureOne(engine: Engine, lang: 'ts' | 'py', lines: number, seed: number, budgetMs: number, config?: Config): FloorRow {
  const text = generateSource(lang as GenLang, lines, seed);
  const file = `/bench/floor/file${lines}.${lang}`;
  const bare = bareParser(lang, file);
  const analyse = () => {
    // The engine reuses the parse of unchanged text; every edit in an editor changes the text.
    engine.forget(file);
    return engine.analyze(file, text, { config });
  };
  const analyseTimed = () => {
    engine.forget(file);
    return engine.analyze(file, text, { timeRules: true, config });
  };
  // Warm-up: JIT both paths before anything is recorded.
  const warmEnd = performance.now() + Math.min(2000, budgetMs / 4);
  for (let i = 0; i < 3 || (performance.now() < warmEnd && i < 50); i++) { analyse(); bare(text); }

  const total: number[] = [], parse: number[] = [], rules: number[] = [], floor: number[] = [];
  const totalCpu: number[] = [], floorCpu: number[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => { const d = process.cpuUsage(since); return (d.user + d.system) / 1000; };
  let findings = 0;
  const end = performance.now() + budgetMs;
  for (let i = 0; i < 400 && (i < 5 || performance.now() < end); i++) {
    youngGc();
    let c = process.cpuUsage();
    const a = analyse();
    totalCpu.push(cpuMs(c));
    total.push(a.parseMs + a.analyzeMs);
    parse.push(a.parseMs);
    rules.push(a.analyzeMs);
    findings = a.findings.length;
    youngGc();
    c = process.cpuUsage();
    const t0 = performance.now();
    bare(text);
    floor.push(performance.now() - t0);
    floorCpu.push(cpuMs(c));
  }
  return {
    split: ruleSplit(analyseTimed, Math.min(total.length, 25)),
    lines,
    iterations: total.length,
    analysisMs: summarise(total),
    parseMs: round(median(parse)),
    analyzeMs: round(median(rules)),
    bareParseMs: summarise(floor),
    ratio: round(median(total) / median(floor), 2),
    cpuRatio: round(median(totalCpu) / median(floorCpu), 2),
    findings,
  };
}

/** Medians over `runs` analyses with per-rule timing on. */
function ruleSplit(analyse: () => ReturnType<Engine['analyze']>, runs: number): FloorRow['split'] {
  const parse: number[] = [];
  const rules: number[] = [];
  const perRule = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    youngGc();
    const a = analyse();
    parse.push(a.parseMs);
    rules.push(a.analyzeMs);
    for (const [id, ms] of Object.entries(a.ruleMs ?? {})) {
      let list = perRule.get(id);
      if (!list) perRule.set(id, (list = []));
      list.push(ms);
    }
  }
  const ruleMs: Record<string, number> = {};
  for (const [id, list] of perRule) ruleMs[id] = round(median(list), 3);
  return { parseMs: round(median(parse), 3), rulesMs: round(median(rules), 3), ruleMs };
}

/**
 * The floor measured where analyses run in the product: a worker thread with the analysis
 * threads' resourceLimits (stack and young generation, server/src/limits.ts), with its own engine.
 */
export function measureFloorInAnalysisThread(sizes: readonly number[], seed: number, budgetMs: Record<number, number>): Promise<FloorResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'floorWorker.js'), { workerData: { sizes, seed, budgetMs }, resourceLimits: { ...ANALYSIS_RESOURCE_LIMITS } });
    let done = false;
    worker.once('message', (m: { result?: FloorResult; error?: string }) => {
      done = true;
      if (m.result) resolve(m.result); else reject(new Error(m.error ?? 'floor thread failed'));
      void worker.terminate();
    });
    worker.once('error', (e) => { done = true; reject(e); });
    worker.once('exit', (code) => { if (!done) reject(new Error(`floor thread exited with code ${code}`)); });
  });
}

export async function measureFloor(engine: Engine, sizes: readonly number[], seed: number, budgetMs: (lines: number) => number): Promise<FloorResult> {
  await pythonParser();
  const out: FloorResult = { ts: [], py: [], kit: { rules: KIT_ISSUE_RULES, ts: [] } };
  for (const lang of ['ts', 'py'] as const) {
    for (const lines of sizes) out[lang].push(measureOne(engine, lang, lines, seed + lines, budgetMs(lines)));
  }
  const kitOnly: Config = { ...DEFAULT_CONFIG, rules: Object.fromEntries(RULES.filter((r) => !KIT_ISSUE_RULES.includes(r.id)).map((r) => [r.id, { severity: 'off' as const }])) };
  for (const lines of sizes.filter((n) => n >= 2000)) out.kit.ts.push(measureOne(engine, 'ts', lines, seed + lines, budgetMs(lines), kitOnly));
  return out;
}
