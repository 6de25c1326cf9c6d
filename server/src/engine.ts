// The engine: parse once per document version, build the code model, walk it once and
// dispatch each node to every enabled rule's visitors; then severity, suppressions and fixes.
import * as fs from 'fs';
import * as path from 'path';
import type * as ir from '../../rules/kit/model/ir';
import { CodeModel } from '../../rules/kit/model/model';
import type { Finding, FixContext, FixResult, FileChange, Rule, Severity, TextEdit } from '../../rules/kit/rule';
import { fixTitle, withNoFixReason } from '../../rules/kit/rule';
import { applyEdits, overlaps } from '../../rules/kit/fixes/edits';
import { allRules } from '../../rules/index';
import { parseTypeScript } from './frontends/typescript';
import { ParseCache } from './parseCache';
import { initPython, parsePython } from './frontends/python';
import type { ParseResult } from './frontends/types';
import { parseSuppressions } from './suppress';
import { DEFAULT_CONFIG, type Config } from './config';
import { isTestCode } from './testFiles';
import { WorkspaceModules } from './modules';
import { WorkspaceIndexes, type WorkspaceReader } from './workspaceIndex';
import { trackLoader, trackWorkspace, type DependencyLog } from './cache/dependencies';
import { Cancelled, DEFAULT_BUDGET_MS, startWatch } from './limits';
import { ConversionGuard } from './frontends/guard';
import { stopNotice, type NoticeKind } from './notices';
import { runRules } from './ruleRunner';
import { fitFix } from './fixPolicy';
import { redactSecrets } from '../../rules/kit/frameworks/redact';

export type { Lang } from './languages';
export { languageOf, LANGUAGE_IDS } from './languages';
import { languageOf, type Lang } from './languages';

export interface Notice {
  kind: NoticeKind;
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
  /** Syntax errors of the parse, as offsets: fixes keep away from them (fixPolicy.ts). */
  syntaxErrors: { start: number; end: number }[];
  /** The literal secrets reported in this file: whatever is printed about it is redacted with them. */
  secrets: string[];
  /** Milliseconds spent parsing and analysing. */
  parseMs: number;
  /** Parsed incrementally from the document's previous version (and, for JS/TS, how many top-level statements kept their IR). */
  incremental?: boolean;
  reusedStatements?: number;
  analyzeMs: number;
  /** Milliseconds per rule, when AnalyzeOptions.timeRules asked for them. */
  ruleMs?: Record<string, number>;
}

export interface AnalyzeOptions {
  config?: Config;
  /** Overrides language detection (LSP languageId). */
  lang?: Lang;
  /** Checked as the analysis goes; it stops (throwing Cancelled) when it returns true. */
  isCancelled?: () => boolean;
  /** The workspace root, against which test-file patterns are matched. */
  workspaceRoot?: string;
  /** Time budget in milliseconds; default: the configuration's timeBudgetMs. */
  budgetMs?: number;
  /** Time each rule (for --stats and the benchmark; costs a little on every visitor call). */
  timeRules?: boolean;
  /** The workspace as functions (a virtual workspace); default: the workspace root on disk, when known. */
  workspace?: WorkspaceReader;
  /** Records what the analysis read besides the file (for the result cache, cache/dependencies.ts). */
  dependencies?: DependencyLog;
}

export interface FixEnvironment {
  workspaceRoot?: string;
  /** Whether a fix may write this other file; a fix that would write a refused one is not offered. */
  allowWrite?: (absPath: string) => boolean;
  readFile?: (absPath: string) => string | undefined;
  findFiles?: (pred: (relPath: string) => boolean, limit?: number) => string[];
}

export { Cancelled };

/** Rules as shipped; ids are unique and equal to file names (checked by the catalog test). */
export const RULES: readonly Rule[] = allRules;
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));
export function ruleById(id: string): Rule | undefined { return RULES.find((r) => r.id === id); }

/** Texts held in the parse cache and the live models, in characters (a model is ~25 times its text). */
const CACHED_CHARS = 4 * 1024 * 1024;

export class Engine {
  /** Last parse per file, and what the next version's incremental parse starts from (parseCache.ts). */
  private parseCache = new ParseCache(CACHED_CHARS);
  /**
   * Analyses whose code model is held in memory, least recently used first. A model (syntax
   * tree plus the facts rules derived) is ~25 times the size of its text; the language server
   * keeps an analysis per open document, so with thousands open only the recent models stay
   * (at most LIVE_MODELS, and CACHED_CHARS of text) and the others are rebuilt from the analysed
   * text when a quick fix asks for them.
   */
  private liveModels = new Set<ModelSlot>();
  private static readonly LIVE_MODELS = 64;

  /** Other modules of the workspace, parsed on demand for cross-module facts (cached by file version). */
  private readonly modules = new WorkspaceModules((file, text, lang) => parseUncached(file, text, lang).root);
  /** Facts that span the workspace's files (mounts, auth middleware, app-level limiters), per workspace. */
  private readonly workspaces = new WorkspaceIndexes();

  private constructor(readonly rules: readonly Rule[]) {}

  static async create(rules: readonly Rule[] = RULES): Promise<Engine> {
    await initPython();
    return new Engine(rules);
  }

  analyze(file: string, text: string, opts: AnalyzeOptions = {}): Analysis {
    const config = opts.config ?? DEFAULT_CONFIG;
    const lang = opts.lang ?? languageOf(file);
    const result: Analysis = { file, text, lang, findings: [], notices: [], syntaxErrors: [], secrets: [], parseMs: 0, analyzeMs: 0 };
    if (!lang) {
      result.notices.push({ kind: 'unsupported', message: `${path.basename(file)}: not a JavaScript, TypeScript or Python file` });
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
    const watch = startWatch(opts.budgetMs ?? config.timeBudgetMs ?? DEFAULT_BUDGET_MS, opts.isCancelled);
    const guard = new ConversionGuard(watch);
    const t0 = performance.now();
    let parsed: ParseResult;
    try {
      parsed = this.parseCache.parse(file, text, lang, guard);
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      const n = stopNotice(e, 'parsing', text, { depth: guard.maxDepth, at: guard.maxAt });
      result.notices.push({ ...n, message: `${n.message}; not analysed` });
      return result;
    }
    const t1 = performance.now();
    result.parseMs = t1 - t0;
    if (parsed.incremental) result.incremental = true;
    if (parsed.reusedStatements !== undefined) result.reusedStatements = parsed.reusedStatements;
    result.syntaxErrors = parsed.problems.map((p) => ({ start: p.start, end: p.end }));
    if (parsed.problems.length && looksBinary(text)) {
      result.notices.push({ kind: 'binary', message: `looks like a binary file (undecodable bytes or NUL characters) and does not parse as ${lang === 'js' ? 'JavaScript/TypeScript' : 'Python'}; not analysed` });
      return result;
    }
    if (parsed.unparsed) {
      result.notices.push({ kind: 'unparsable', message: `no part of ${path.basename(file)} parses as ${lang === 'js' ? 'JavaScript/TypeScript' : 'Python'}; not analysed` });
      return result;
    }
    const testCode = isTestCode(file, config, opts.workspaceRoot ?? config.root);
    const wsRoot = opts.workspaceRoot ?? config.root;
    const index = opts.workspace ? this.workspaces.of(opts.workspace) : wsRoot ? this.workspaces.onDisk(wsRoot) : undefined;
    const deps = opts.dependencies;
    const workspace = index && deps ? trackWorkspace(index, deps) : index;
    const loader = deps ? trackLoader(this.modules, deps) : this.modules;
    const newModel = (root: ir.Program) => Object.assign(new CodeModel(lang, file, text, root), { testCode, loader, workspace });
    const model = newModel(parsed.root);
    this.holdModel(result, { file, model, rebuild: () => newModel(parseUncached(file, text, lang).root), chars: text.length });
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
    watch.phase = 'rules';
    const run = runRules(this.rules, model, config, watch, opts.timeRules);
    if (run.ruleMs) result.ruleMs = run.ruleMs;
    result.notices.push(...run.notices);
    // Without a suppression comment nothing is suppressed: no line index is built for the question.
    const suppress = parsed.comments.length ? parseSuppressions(parsed.comments, model.lines) : undefined;
    for (const { rule, report } of run.reports) {
      const start = report.start ?? report.node?.start ?? 0;
      const end = report.end ?? report.node?.end ?? start;
      if (suppress?.isSuppressed(rule.id, model.lines.position(start).line)) continue;
      const configured = config.rules[rule.id]?.severity;
      let severity: Severity = configured && configured !== 'off' ? configured : report.severity ?? rule.severity;
      if (testCode && !report.realInTestCode) {
        if (config.testFiles.findings !== 'all') continue;
        severity = 'info';
      }
      const finding: Finding = { ruleId: rule.id, start, end, message: report.message, severity, data: report.data };
      if (rule.fix && !report.noFix) finding.fix = { title: fixTitle(rule.fix, finding), safety: rule.fix.safety };
      else if (rule.fix && typeof report.noFix === 'string') withNoFixReason(finding, report.noFix);
      result.findings.push(finding);
    }
    result.findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
    for (const l of model.limits) {
      const pos = model.lines.position(l.at);
      result.notices.push({ kind: 'limit', start: l.at, message: `${l.what} at ${pos.line + 1}:${pos.character + 1}: the analysis did not follow it further` });
    }
    for (const s of model.skippedFactFiles) {
      const rel = wsRoot || workspace ? path.relative(workspace?.root ?? wsRoot!, s.file) : s.file;
      result.notices.push({ kind: 'fact-file', message: `${rel.replace(/\\/g, '/')}: ${s.reason}` });
    }
    redactAnalysis(result);
    result.analyzeMs = performance.now() - t1;
    return result;
  }

  /** Makes `analysis.model` a getter over a slot this engine may empty (see liveModels). */
  private holdModel(analysis: Analysis, slot: ModelSlot): void {
    const touch = () => {
      this.liveModels.delete(slot);
      this.liveModels.add(slot);
      let chars = 0;
      for (const s of this.liveModels) chars += s.chars;
      for (const oldest of this.liveModels) {
        if (this.liveModels.size <= 1 || (this.liveModels.size <= Engine.LIVE_MODELS && chars <= CACHED_CHARS)) break;
        this.liveModels.delete(oldest);
        oldest.model = undefined;
        chars -= oldest.chars;
      }
    };
    // A newer analysis of a document supersedes the models of its older versions: typing in one
    // file would otherwise fill the cache with that file's past versions, and every collection
    // would trace them. An older analysis asked for its model again rebuilds it.
    this.dropModels(slot.file);
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

  /** What the caches hold: parses and live code models, with the characters of their texts (each at most CACHED_CHARS). */
  cacheStats(): { parses: number; parseChars: number; models: number; modelChars: number } {
    const parseChars = this.parseCache.chars();
    const live = [...this.liveModels].filter((s) => s.model);
    return { parses: this.parseCache.size, parseChars, models: live.length, modelChars: live.reduce((n, s) => n + s.chars, 0) };
  }

  /**
   * Forgets a file: its cached parse and its live code models (a closed document, or a file a scan
   * analysed once). Read `analysis.model` before: afterwards it is rebuilt from the text. A scan
   * that left the models to the LRU kept the last 64 files' models alive, which every scavenge
   * copied and then promoted: they grew the old generation of a scan worker by the scan's size.
   */
  forget(file: string): void {
    this.parseCache.forget(file);
    this.dropModels(file);
  }

  /** Empties the live models of a file's analyses (their `model` is rebuilt when asked for again). */
  private dropModels(file: string): void { for (const s of this.liveModels) if (s.file === file) { this.liveModels.delete(s); s.model = undefined; } }

  /** A file of the workspace changed (a watcher said so): workspace facts are checked again at their next use. */
  workspaceChanged(): void { this.workspaces.invalidate(); }

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
    const res = rule.fix.produce(finding, ctx);
    if (res?.files?.some((f) => env.allowWrite && !env.allowWrite(f.path))) return undefined;
    const lang = analysis.lang;
    return res && lang && fitFix(res, {
      text: analysis.text,
      syntaxErrors: analysis.syntaxErrors,
      countSyntaxErrors: (t) => parseUncached(analysis.file, t, lang).problems.length,
      readFile: ctx.readFile,
    });
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
    // The workspace as the fixes leave it: a file a fix created (a migration beside the others) is
    // listed too, so the next pass sees the fact it adds and does not fix the same finding again.
    const root = opts.env?.workspaceRoot;
    const listed = opts.env?.findFiles;
    const workspace: WorkspaceReader | undefined = root && listed
      ? {
        root,
        readFile: env.readFile!,
        findFiles: (pred, limit) => {
          const found = listed(pred, limit);
          const created = [...overlay.keys()].filter((p) => !found.includes(p) && pred(path.relative(root, p).replace(/\\/g, '/')));
          return created.length ? [...found, ...created] : found;
        },
      } : undefined;
    let analysis = this.analyze(file, cur, { config: opts.config, lang: opts.lang, workspace });
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
      analysis = this.analyze(file, cur, { config: opts.config, lang: opts.lang, workspace });
    }
    for (const [p, content] of overlay) files.push({ kind: 'create', path: p, content });
    return { text: cur, files, applied, remaining: analysis.findings };
  }
}

interface ModelSlot { file: string; model?: CodeModel; rebuild: () => CodeModel; chars: number }

/** A parse that leaves the parse cache alone (it holds the document's current text, not this one). */
function parseUncached(file: string, text: string, lang: Lang): ParseResult {
  return lang === 'js' ? parseTypeScript(file, text) : parsePython(text);
}

/**
 * Whether a text shows signs of binary content: replacement characters (bytes that did not
 * decode) or NULs. Only together with syntax errors does it stop an analysis: a NUL in a comment
 * of code that parses is still code that runs.
 */
export function looksBinary(text: string): boolean {
  return text.includes('\uFFFD') || text.includes('\u0000');
}

/** Every message about the file redacted, with the literal secrets its findings reported. */
function redactAnalysis(a: Analysis): void {
  const secret = a.findings.filter((f) => f.ruleId === 'hardcoded-secret').map((f) => a.text.slice(f.start, f.end).replace(/^[a-zA-Z]*['"`]+|['"`]+$/g, ''));
  a.secrets = [...new Set(secret.filter((s) => s.length >= 4))];
  for (const f of a.findings) {
    f.message = redactSecrets(f.message, a.secrets);
    if (f.fix) f.fix.title = redactSecrets(f.fix.title, a.secrets);
  }
  for (const n of a.notices) n.message = redactSecrets(n.message, a.secrets);
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
