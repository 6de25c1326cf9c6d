/**
 * Applying Vibe Guard's own quick fixes the way the editor does, for the fix-verification
 * suites: the source is written into a throwaway workspace folder, the engine computes every fix
 * of one rule (fix-all for that rule, unsafe fixes allowed, as after the user confirms them), and
 * the files a fix creates or edits elsewhere (.env, .gitignore, a generated helper) are written
 * into that workspace, where the suite can read them and serve the code from.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import * as ts from 'typescript';
import { Engine, ruleById } from '../../server/src/engine';
import type { Finding } from '../../rules/kit/rule';
import { repoRoot } from './paths';
import { registerCleanup, removeDir } from './util';

export interface FixedSource {
  rule: string;
  /** The file's name inside the workspace, e.g. 'routes/login.js'. */
  file: string;
  before: string;
  after: string;
  /** The rule's findings in `before` that carry a quick fix, and those that do not. */
  fixable: Finding[];
  unfixable: Finding[];
  /** The rule's findings left in `after`. */
  remaining: Finding[];
  /** Other workspace files after the fix (relative path → content), including those it wrote. */
  workspaceFiles: Record<string, string>;
  /** Relative paths of the files the fix created or changed besides the source. */
  written: string[];
  /** The workspace folder; removed by cleanup(). */
  workspace: string;
  cleanup(): void;
}

export interface FixOptions {
  /** Files the workspace holds before the fix (relative path → content), e.g. a package.json. */
  workspaceFiles?: Record<string, string>;
  /**
   * Analyse and fix with the workspace's facts (its schema, lockfile...): rules that read other
   * files, and fixes that write only there (a migration), need them. The source may then stay
   * unchanged when the fix wrote another file.
   */
  workspaceFacts?: boolean;
}

const engines = new Map<string, Promise<Engine>>();

/** An engine running only `ruleId`, so that no other rule's fix changes the code under test. */
function engineFor(ruleId: string): Promise<Engine> {
  let e = engines.get(ruleId);
  if (!e) {
    const rule = ruleById(ruleId);
    if (!rule) throw new Error(`no rule '${ruleId}' is registered in rules/index.ts`);
    e = Engine.create([rule]);
    engines.set(ruleId, e);
  }
  return e;
}

/** Whether the rule is registered and has a quick fix: rules still being written may not. */
export function ruleHasFix(ruleId: string): boolean {
  return Boolean(ruleById(ruleId)?.fix);
}

/** Reads a fixture: a path relative to the repository root. */
export function fixture(rel: string): string {
  return fs.readFileSync(path.join(repoRoot(), rel), 'utf8');
}

/**
 * Applies every quick fix of `ruleId` to `text` (named `file` inside a fresh workspace) and
 * returns the result. Throws, with the before and after text, when the rule reports nothing or
 * a fix it offered left its finding in place: a fix that is not applied proves nothing.
 */
export async function applyRuleFix(ruleId: string, file: string, text: string, opts: FixOptions = {}): Promise<FixedSource> {
  const engine = await engineFor(ruleId);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-ws-'));
  const unregister = registerCleanup(() => removeDir(workspace));
  const cleanup = () => {
    removeDir(workspace);
    unregister();
  };
  try {
    const initial = { ...opts.workspaceFiles };
    for (const [rel, content] of Object.entries(initial)) writeInside(workspace, rel, content);
    const abs = writeInside(workspace, file, text);

    const reader = opts.workspaceFacts ? diskReader(workspace) : undefined;
    const analysis = engine.analyze(abs, text, { workspace: reader });
    const own = analysis.findings.filter((f) => f.ruleId === ruleId);
    const fixable = own.filter((f) => f.fix);
    const unfixable = own.filter((f) => !f.fix);
    const problems = analysis.notices.filter((n) => n.kind === 'syntax' || n.kind === 'internal');
    if (problems.length) throw new Error(`${file}: ${problems.map((n) => n.message).join('; ')}`);
    if (!fixable.length) {
      throw new Error(`${ruleId} offers no fix for ${file} (${own.length} finding(s): ${own.map((f) => f.message).join('; ') || 'none'})`);
    }

    const result = engine.fixAll(abs, text, { unsafe: true, env: { workspaceRoot: workspace, findFiles: reader?.findFiles } });
    const written: string[] = [];
    for (const change of result.files) {
      if (change.kind !== 'create') throw new Error(`fixAll returned an unmerged edit for ${change.path}`);
      const rel = path.relative(workspace, change.path);
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`the fix wrote outside the workspace: ${change.path}`);
      writeInside(workspace, rel, change.content);
      written.push(rel);
    }
    fs.writeFileSync(abs, result.text);

    const reanalysis = engine.analyze(abs, result.text, { workspace: reader });
    const syntax = reanalysis.notices.filter((n) => n.kind === 'syntax');
    const remaining = reanalysis.findings.filter((f) => f.ruleId === ruleId);
    const fixed: FixedSource = {
      rule: ruleId,
      file,
      before: text,
      after: result.text,
      fixable,
      unfixable,
      remaining,
      workspaceFiles: readTree(workspace, [file]),
      written,
      workspace,
      cleanup,
    };
    const unchanged = result.text === text && !written.length;
    if (syntax.length || remaining.length > unfixable.length || unchanged) {
      throw new Error(
        `${ruleId} fix did not take on ${file}: ` +
          (unchanged ? 'the text is unchanged' : syntax.map((n) => n.message).join('; ') || 'findings left') +
          `\n--- remaining findings:\n${remaining.map((f) => `${lineOf(result.text, f.start)}: ${f.message}`).join('\n')}` +
          `\n--- fixed text:\n${result.text}`,
      );
    }
    return fixed;
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** The workspace folder read from disk on every call (small: a test's own files). */
function diskReader(root: string) {
  const readFile = (p: string) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } };
  const findFiles = (pred: (rel: string) => boolean) => Object.keys(readTree(root, [])).filter((rel) => pred(rel.replace(/\\/g, '/'))).map((rel) => path.join(root, rel));
  return { root, readFile, findFiles };
}

function writeInside(root: string, rel: string, content: string): string {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

function readTree(root: string, skip: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, ent.name);
      const rel = path.relative(root, abs);
      if (ent.isDirectory()) walk(abs);
      else if (!skip.includes(rel)) out[rel] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(root);
  return out;
}

export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/**
 * TypeScript fixtures run as CommonJS, the way ts-node or tsx would run them: types are erased,
 * nothing is type-checked, and a transpile error is reported with the text that caused it.
 */
export function transpileToCommonJs(source: string, fileName: string): string {
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new Error(`${fileName} does not transpile: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}\n${source}`);
  }
  return out.outputText;
}

/**
 * The variables of a dotenv file, parsed the way `node --env-file=.env` reads it (util.parseEnv,
 * Node 20.12+), with a plain `NAME=value` reader for older Node.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const nodeParse = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv;
  if (nodeParse) return { ...nodeParse(text) };
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    vars[m[1]] = v;
  }
  return vars;
}

/** Lines a fix removed (-) and added (+): a set difference, enough for the run log and messages. */
export function changedLines(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  const setA = new Set(a);
  const setB = new Set(b);
  for (const l of a) if (!setB.has(l)) out.push(`- ${l}`);
  for (const l of b) if (!setA.has(l)) out.push(`+ ${l}`);
  return out.join('\n');
}

/** Files of a folder under the repository root (relative path → content), e.g. an app's companion modules. */
export function fixtureDir(rel: string): Record<string, string> {
  return readTree(path.join(repoRoot(), rel), []);
}

/**
 * What to serve for one side of a fix: the module's source (TypeScript transpiled to CommonJS)
 * and, after the fix, the workspace files the fix wrote (a generated helper, transpiled likewise
 * and renamed to .js so that `require('./lib/helper')` finds it).
 */
export function servable(fixed: FixedSource, side: 'before' | 'after'): { source: string; files: Record<string, string> } {
  const isTs = /\.[cm]?tsx?$/.test(fixed.file);
  const text = side === 'before' ? fixed.before : fixed.after;
  const files: Record<string, string> = {};
  if (side === 'after') {
    for (const rel of fixed.written) {
      const content = fixed.workspaceFiles[rel];
      if (/\.[cm]?tsx?$/.test(rel)) files[rel.replace(/\.[cm]?tsx?$/, '.js')] = transpileToCommonJs(content, rel);
      else files[rel] = content;
    }
  }
  return { source: isTs ? transpileToCommonJs(text, fixed.file) : text, files };
}
