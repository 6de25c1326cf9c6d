// Cost over the floor: what one analysis costs (parse + conversion to the IR + code model + every
// rule, as Engine.analyze reports it in parseMs + analyzeMs) against the bare parse of the same
// text (ts.createSourceFile with the same script kind; tree-sitter's parse for Python), which no
// analysis of a fresh document version can avoid. Both are timed in the same loop, interleaved,
// so machine noise hits both sides alike, each after a young-generation collection (see gc.ts).
import * as fs from 'fs';
import * as ts from 'typescript';
import { Parser, Language } from 'web-tree-sitter';
import type { Engine } from '../server/src/engine';
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
}

export interface FloorResult { ts: FloorRow[]; py: FloorRow[] }

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
export function measureOne(engine: Engine, lang: 'ts' | 'py', lines: number, seed: number, budgetMs: number): FloorRow {
  const text = generateSource(lang as GenLang, lines, seed);
  const file = `/bench/floor/file${lines}.${lang}`;
  const bare = bareParser(lang, file);
  const analyse = () => {
    // The engine reuses the parse of unchanged text; every edit in an editor changes the text.
    engine.forget(file);
    return engine.analyze(file, text);
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

export async function measureFloor(engine: Engine, sizes: readonly number[], seed: number, budgetMs: (lines: number) => number): Promise<FloorResult> {
  await pythonParser();
  const out: FloorResult = { ts: [], py: [] };
  for (const lang of ['ts', 'py'] as const) {
    for (const lines of sizes) out[lang].push(measureOne(engine, lang, lines, seed + lines, budgetMs(lines)));
  }
  return out;
}
