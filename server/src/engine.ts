// The engine: parse once per document version, build the code model, walk it once and
// dispatch each node to every enabled rule's visitors; then severity, suppressions and fixes.
import * as fs from 'fs';
import * as path from 'path';
import * as ir from '../../rules/kit/model/ir';
import { CodeModel } from '../../rules/kit/model/model';
import type { Finding, FixContext, FixResult, FileChange, Report, Rule, Severity, Visitors, TextEdit } from '../../rules/kit/rule';
import { fixTitle } from '../../rules/kit/rule';
import { applyEdits, overlaps } from '../../rules/kit/fixes/edits';
import { allRules } from '../../rules/index';
import { parseTypeScript } from './frontends/typescript';
import { initPython, parsePython, pythonReady } from './frontends/python';
import type { ParseResult } from './frontends/types';
import { parseSuppressions } from './suppress';
import { DEFAULT_CONFIG, type Config } from './config';
import { matchGlob } from './glob';
import { isTestPath } from '../../rules/kit/frameworks/test-code';
import { WorkspaceModules } from './modules';

export type { Lang } from './languages';
export { languageOf, LANGUAGE_IDS } from './languages';
import { languageOf, type Lang } from './languages';

export interface Notice {
  kind: 'syntax' | 'too-large' | 'binary' | 'unsupported' | 'internal';
  message: string;
  start?: number;
  end?: number;
}

export interface Analysis {
  file: string;
  text: string;
  lang?: Lang;
  model?: CodeModel;
  findings: Finding[];
  notices: Notice[];
  /** Milliseconds spent parsing and analysing. */
  parseMs: number;
  analyzeMs: number;
}

export interface AnalyzeOptions {
  config?: Config;
  /** Overrides language detection (LSP languageId). */
  lang?: Lang;
  /** Checked between rules; analysis stops early when it returns true. */
  isCancelled?: () => boolean;
  /** The workspace root, against which test-file patterns are matched. */
  workspaceRoot?: string;
}

export interface FixEnvironment {
  workspaceRoot?: string;
  readFile?: (absPath: string) => string | undefined;
  findFiles?: (pred: (relPath: string) => boolean, limit?: number) => string[];
}

export class Cancelled extends Error { constructor() { super('analysis cancelled'); } }

/** Rules as shipped; ids are unique and equal to file names (checked by the catalog test). */
export const RULES: readonly Rule[] = allRules;
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));
export function ruleById(id: string): Rule | undefined { return RULES.find((r) => r.id === id); }

export class Engine {
  /** Last parse per file: a re-analysis of unchanged text (pull after push, code actions) reuses it. */
  private parseCache = new Map<string, { text: string; lang: Lang; parsed: ParseResult }>();
  private static readonly CACHE_SIZE = 64;
  /**
   * Analyses whose code model is held in memory, least recently used first. A model (syntax
   * tree plus the facts rules derived) is ~25 times the size of its text; the language server
   * keeps an analysis per open document, so with thousands open only the recent models stay
   * and the others are rebuilt from the analysed text when a quick fix asks for them.
   */
  private liveModels = new Set<ModelSlot>();
  private static readonly LIVE_MODELS = 64;

  /** Other modules of the workspace, parsed on demand for cross-module facts (cached by file version). */
  private readonly modules = new WorkspaceModules((file, text, lang) => parseUncached(file, text, lang).root);

  private constructor(readonly rules: readonly Rule[]) {}

  static async create(rules: readonly Rule[] = RULES): Promise<Engine> {
    await initPython();
    return new Engine(rules);
  }

  analyze(file: string, text: string, opts: AnalyzeOptions = {}): Analysis {
    const config = opts.config ?? DEFAULT_CONFIG;
    const lang = opts.lang ?? languageOf(file);
    const result: Analysis = { file, text, lang, findings: [], notices: [], parseMs: 0, analyzeMs: 0 };
    if (!lang) {
      result.notices.push({ kind: 'unsupported', message: `${path.basename(file)}: not a JavaScript, TypeScript or Python file` });
      return result;
    }
    if (looksBinary(text)) {
      result.notices.push({ kind: 'binary', message: `${path.basename(file)} looks like a binary file (it contains NUL bytes); not analysed` });
      return result;
    }
    const limit = config.maxFileSizeKb * 1024;
    if (text.length > limit) {
      result.notices.push({
        kind: 'too-large',
        message: `${path.basename(file)} is ${(text.length / 1024 / 1024).toFixed(1)} MB, above the ${config.maxFileSizeKb} KB analysis limit (maxFileSizeKb in .vibeguard.json); not analysed`,
      });
      return result;
    }
    const t0 = performance.now();
    const parsed = this.parse(file, text, lang);
    const t1 = performance.now();
    result.parseMs = t1 - t0;
    const testCode = isTestCode(file, config, opts.workspaceRoot ?? config.root);
    const newModel = (root: ir.Program) => Object.assign(new CodeModel(lang, file, text, root), { testCode, loader: this.modules });
    const model = newModel(parsed.root);
    this.holdModel(result, { model, rebuild: () => newModel(parseUncached(file, text, lang).root) });
    if (parsed.problems.length) {
      const p = parsed.problems[0];
      const pos = model.lines.position(p.start);
      result.notices.push({
        kind: 'syntax',
        start: p.start,
        end: p.end,
        message: `syntax error at ${pos.line + 1}:${pos.character + 1} (${p.message}); findings may be incomplete until it is fixed`,
      });
    }
    const reports = this.runRules(model, config, opts, result);
    const suppress = parseSuppressions(parsed.comments, model.lines);
    for (const { rule, report } of reports) {
      const start = report.start ?? report.node?.start ?? 0;
      const end = report.end ?? report.node?.end ?? start;
      if (suppress.isSuppressed(rule.id, model.lines.position(start).line)) continue;
      const configured = config.rules[rule.id]?.severity;
      let severity: Severity = configured && configured !== 'off' ? configured : report.severity ?? rule.severity;
      if (testCode && !report.realInTestCode) {
        if (config.testFiles.findings !== 'all') continue;
        severity = 'info';
      }
      const finding: Finding = { ruleId: rule.id, start, end, message: report.message, severity, data: report.data };
      if (rule.fix && !report.noFix) finding.fix = { title: fixTitle(rule.fix, finding), safety: rule.fix.safety };
      result.findings.push(finding);
    }
    result.findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
    result.analyzeMs = performance.now() - t1;
    return result;
  }

  private parse(file: string, text: string, lang: Lang): ParseResult {
    const hit = this.parseCache.get(file);
    if (hit && hit.lang === lang && hit.text === text) return hit.parsed;
    if (lang === 'py' && !pythonReady()) throw new Error('Python parser not ready: create the Engine with Engine.create()');
    const parsed = lang === 'js' ? parseTypeScript(file, text) : parsePython(text);
    this.parseCache.delete(file);
    this.parseCache.set(file, { text, lang, parsed });
    if (this.parseCache.size > Engine.CACHE_SIZE) this.parseCache.delete(this.parseCache.keys().next().value as string);
    return parsed;
  }

  /** Makes `analysis.model` a getter over a slot this engine may empty (see liveModels). */
  private holdModel(analysis: Analysis, slot: ModelSlot): void {
    const touch = () => {
      this.liveModels.delete(slot);
      this.liveModels.add(slot);
      if (this.liveModels.size > Engine.LIVE_MODELS) {
        const oldest = this.liveModels.values().next().value as ModelSlot;
        this.liveModels.delete(oldest);
        oldest.model = undefined;
      }
    };
    touch();
    Object.defineProperty(analysis, 'model', {
      enumerable: true,
      configurable: true,
      get: () => {
        // The same text parses to the same tree, so findings' offsets and data stay valid.
        slot.model ??= slot.rebuild();
        touch();
        return slot.model;
      },
    });
  }

  /** Forgets the cached parse of a closed document. */
  forget(file: string): void { this.parseCache.delete(file); }

  private runRules(model: CodeModel, config: Config, opts: AnalyzeOptions, result: Analysis) {
    const reports: { rule: Rule; report: Report }[] = [];
    const active: { rule: Rule; visitors: Visitors }[] = [];
    const testMode = model.testCode ? config.testFiles.findings : undefined;
    for (const rule of this.rules) {
      if (!rule.languages.includes(model.lang)) continue;
      if (testMode === 'none' || (testMode === 'live-keys' && !rule.reportsInTestCode)) continue;
      if (config.rules[rule.id]?.severity === 'off') continue;
      if (rule.triggers && !rule.triggers.test(model.text)) continue;
      try {
        const visitors = rule.create({
          model,
          options: config.rules[rule.id]?.options ?? {},
          report: (report) => reports.push({ rule, report }),
        });
        active.push({ rule, visitors });
      } catch (e) {
        result.notices.push({ kind: 'internal', message: `rule ${rule.id} failed to start: ${(e as Error).message}` });
      }
    }
    if (!active.length) return reports;
    // One walk; each node goes to the visitors registered for its type.
    const byType = new Map<string, { rule: Rule; fn: (n: ir.Node) => void }[]>();
    for (const a of active) {
      for (const [type, fn] of Object.entries(a.visitors)) {
        if (type === 'Program:exit' || !fn) continue;
        let list = byType.get(type);
        if (!list) byType.set(type, (list = []));
        list.push({ rule: a.rule, fn: fn as (n: ir.Node) => void });
      }
    }
    const failed = new Set<Rule>();
    const call = (rule: Rule, fn: () => void) => {
      if (failed.has(rule)) return;
      try { fn(); } catch (e) {
        failed.add(rule);
        result.notices.push({ kind: 'internal', message: `rule ${rule.id} crashed and was skipped for this file: ${(e as Error).stack?.split('\n').slice(0, 3).join(' ') ?? e}` });
      }
    };
    if (byType.size) {
      let steps = 0;
      ir.walk(model.root, (n) => {
        const list = byType.get(n.type);
        if (list) for (const v of list) call(v.rule, () => v.fn(n));
        if ((++steps & 1023) === 0 && opts.isCancelled?.()) throw new Cancelled();
      });
    }
    for (const a of active) {
      const exit = a.visitors['Program:exit'];
      if (exit) call(a.rule, exit);
      if (opts.isCancelled?.()) throw new Cancelled();
    }
    return reports;
  }

  /** Computes the edits of a finding's quick fix. */
  fix(analysis: Analysis, finding: Finding, env: FixEnvironment = {}, config: Config = DEFAULT_CONFIG): FixResult | undefined {
    const rule = ruleById(finding.ruleId);
    if (!rule?.fix || !finding.fix || !analysis.model) return undefined;
    const root = env.workspaceRoot;
    const ctx: FixContext = {
      model: analysis.model,
      file: analysis.file,
      workspaceRoot: root,
      readFile: env.readFile ?? readFileOrUndefined,
      findFiles: env.findFiles ?? ((pred, limit) => (root ? listFiles(root, pred, limit) : [])),
      options: config.rules[rule.id]?.options ?? {},
    };
    return rule.fix.produce(finding, ctx);
  }

  /**
   * Applies every fix (safe ones, plus unsafe ones when allowed) until none is left or no progress,
   * re-analysing after each pass so fixes never act on stale offsets.
   */
  fixAll(file: string, text: string, opts: { config?: Config; unsafe?: boolean; env?: FixEnvironment; lang?: Lang; maxPasses?: number } = {}): { text: string; files: FileChange[]; applied: number; remaining: Finding[] } {
    const files: FileChange[] = [];
    let applied = 0;
    let cur = text;
    const overlay = new Map<string, string>();
    const env: FixEnvironment = {
      ...opts.env,
      readFile: (p) => (overlay.has(p) ? overlay.get(p) : (opts.env?.readFile ?? readFileOrUndefined)(p)),
    };
    let analysis = this.analyze(file, cur, { config: opts.config, lang: opts.lang });
    for (let pass = 0; pass < (opts.maxPasses ?? 10); pass++) {
      const chosen: TextEdit[] = [];
      let progressed = false;
      for (const f of analysis.findings) {
        if (!f.fix || (f.fix.safety === 'unsafe' && !opts.unsafe)) continue;
        let res: FixResult | undefined;
        try { res = this.fix(analysis, f, env, opts.config); } catch { res = undefined; }
        if (!res || (!res.edits.length && !res.files?.length)) continue;
        if (overlaps(chosen, res.edits)) continue;
        chosen.push(...res.edits);
        for (const fc of res.files ?? []) {
          const before = env.readFile!(fc.path) ?? '';
          const after = fc.kind === 'create' ? fc.content : applyEdits(before, fc.edits);
          overlay.set(fc.path, after);
        }
        applied++;
        progressed = true;
      }
      if (!progressed) break;
      cur = applyEdits(cur, chosen);
      analysis = this.analyze(file, cur, { config: opts.config, lang: opts.lang });
    }
    for (const [p, content] of overlay) files.push({ kind: 'create', path: p, content });
    return { text: cur, files, applied, remaining: analysis.findings };
  }
}

interface ModelSlot { model?: CodeModel; rebuild: () => CodeModel }

/** A parse that leaves the parse cache alone (it holds the document's current text, not this one). */
function parseUncached(file: string, text: string, lang: Lang): ParseResult {
  return lang === 'js' ? parseTypeScript(file, text) : parsePython(text);
}

/** Test code by the built-in conventions (unless turned off) or the workspace's own patterns. */
export function isTestCode(file: string, config: Config, workspaceRoot?: string): boolean {
  const inRoot = workspaceRoot ? path.relative(workspaceRoot, file) : undefined;
  const rel = inRoot !== undefined && !inRoot.startsWith('..') && !path.isAbsolute(inRoot) ? inRoot : undefined;
  const { builtin, patterns } = config.testFiles;
  if (builtin && isTestPath(rel ?? file, rel !== undefined)) return true;
  const target = (rel ?? file).split(path.sep).join('/').replace(/^\/+/, '');
  return patterns.some((g) => matchGlob(g, target));
}

export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  for (let i = 0; i < n; i++) if (text.charCodeAt(i) === 0) return true;
  return false;
}

function readFileOrUndefined(p: string): string | undefined {
  try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; }
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.next', '__pycache__', '.venv', 'venv']);

/** Bounded breadth-first listing of workspace files (for fixes that look for an existing helper). */
export function listFiles(root: string, pred: (rel: string) => boolean, limit = 50): string[] {
  const out: string[] = [];
  const queue = [''];
  let visited = 0;
  while (queue.length && out.length < limit && visited < 5000) {
    const rel = queue.shift()!;
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      visited++;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) queue.push(r); }
      else if (pred(r)) out.push(path.join(root, r));
    }
  }
  return out;
}
