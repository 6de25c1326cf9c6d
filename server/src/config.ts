// `.vibeguard.json`: the one configuration file read by both the editor and the CLI.
// Invalid parts are reported with the file and key; every valid part still applies.
import * as fs from 'fs';
import * as path from 'path';
import type { Severity } from '../../rules/kit/rule';
import { matchGlob } from './glob';
import { DEFAULT_BUDGET_MS } from './limits';

export const CONFIG_FILE = '.vibeguard.json';

export interface RuleSetting { severity?: Severity | 'off'; options?: Record<string, unknown> }

export interface Config {
  rules: Record<string, RuleSetting>;
  ignore: string[];
  unsafeFixes: boolean;
  /** Files above this size are not analysed (the editor shows why). */
  maxFileSizeKb: number;
  testFiles: TestFilesConfig;
  /** An analysis of one file stops with a notice after this many milliseconds. */
  timeBudgetMs: number;
  /** Baseline file (relative to the configuration file's folder): its findings are known ones. */
  baseline?: string;
  /** The folder this configuration applies to (the workspace root): test-file patterns are relative to it. */
  root?: string;
}

/**
 * Which files are test code and what is reported there. `live-keys` (the default) reports only
 * provider keys that work wherever they are committed; `all` reports every finding at `info`;
 * `none` analyses nothing in test code.
 */
export interface TestFilesConfig {
  /** Globs (relative to the workspace root) of more test code, e.g. `qa/**`. */
  patterns: string[];
  /** Use the built-in conventions (`*.test.*`, `__tests__/`, `tests.py`, ...). */
  builtin: boolean;
  findings: 'live-keys' | 'all' | 'none';
}

export interface ConfigProblem { file: string; key: string; message: string }

export const DEFAULT_TEST_FILES: TestFilesConfig = { patterns: [], builtin: true, findings: 'live-keys' };

export const DEFAULT_CONFIG: Config = { rules: {}, ignore: [], unsafeFixes: false, maxFileSizeKb: 1024, timeBudgetMs: DEFAULT_BUDGET_MS, testFiles: DEFAULT_TEST_FILES };

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

/**
 * Validates a parsed configuration object. `knownRules` lets an unknown rule id be reported by
 * name (with the nearest known id as a hint) instead of silently ignored.
 */
export function validateConfig(raw: unknown, file: string, knownRules: ReadonlySet<string>): { config: Config; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: Config = { ...DEFAULT_CONFIG, rules: {}, ignore: [], testFiles: { ...DEFAULT_TEST_FILES } };
  const problem = (key: string, message: string) => problems.push({ file, key, message });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problem('(root)', 'expected a JSON object');
    return { config, problems };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key) {
      case '$schema': break;
      case 'rules':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) { problem('rules', 'expected an object mapping rule ids to a severity'); break; }
        for (const [id, setting] of Object.entries(value as Record<string, unknown>)) {
          const k = `rules.${id}`;
          if (!knownRules.has(id)) {
            const hint = nearest(id, knownRules);
            problem(k, `unknown rule id "${id}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
            continue;
          }
          if (typeof setting === 'string') {
            if (!SEVERITIES.has(setting)) { problem(k, `severity must be one of error, warning, info, off (got "${setting}")`); continue; }
            config.rules[id] = { severity: setting as RuleSetting['severity'] };
          } else if (typeof setting === 'object' && setting !== null && !Array.isArray(setting)) {
            const s = setting as Record<string, unknown>;
            const out: RuleSetting = {};
            if (s.severity !== undefined) {
              if (typeof s.severity === 'string' && SEVERITIES.has(s.severity)) out.severity = s.severity as RuleSetting['severity'];
              else problem(`${k}.severity`, 'must be one of error, warning, info, off');
            }
            if (s.options !== undefined) {
              if (typeof s.options === 'object' && s.options !== null && !Array.isArray(s.options)) out.options = s.options as Record<string, unknown>;
              else problem(`${k}.options`, 'must be an object');
            }
            for (const extra of Object.keys(s)) if (extra !== 'severity' && extra !== 'options') problem(`${k}.${extra}`, 'unknown key (expected severity or options)');
            config.rules[id] = out;
          } else problem(k, 'expected a severity string or { "severity": ..., "options": {...} }');
        }
        break;
      case 'ignore':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) problem('ignore', 'expected an array of glob strings');
        else config.ignore = value as string[];
        break;
      case 'unsafeFixes':
        if (typeof value !== 'boolean') problem('unsafeFixes', 'expected true or false');
        else config.unsafeFixes = value;
        break;
      case 'maxFileSizeKb':
        if (typeof value !== 'number' || !(value > 0)) problem('maxFileSizeKb', 'expected a positive number');
        else config.maxFileSizeKb = value;
        break;
      case 'testFiles':
        config.testFiles = validateTestFiles(value, problem);
        break;
      case 'baseline':
        if (typeof value !== 'string' || !value.trim()) problem('baseline', 'expected the path of a baseline file (written by vibeguard scan --write-baseline)');
        else config.baseline = value;
        break;
      case 'timeBudgetMs':
        if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) problem('timeBudgetMs', 'expected a positive number of milliseconds');
        else config.timeBudgetMs = value;
        break;
      default:
        problem(key, 'unknown key (expected rules, ignore, unsafeFixes, maxFileSizeKb, timeBudgetMs, testFiles, baseline)');
    }
  }
  return { config, problems };
}

const TEST_FINDINGS = new Set(['live-keys', 'all', 'none']);

function validateTestFiles(value: unknown, problem: (key: string, message: string) => void): TestFilesConfig {
  const out: TestFilesConfig = { ...DEFAULT_TEST_FILES };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problem('testFiles', 'expected an object { "patterns": [...], "builtin": true, "findings": "live-keys" }');
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'patterns') {
      if (Array.isArray(v) && v.every((g) => typeof g === 'string')) out.patterns = v as string[];
      else problem('testFiles.patterns', 'expected an array of glob strings');
    } else if (k === 'builtin') {
      if (typeof v === 'boolean') out.builtin = v;
      else problem('testFiles.builtin', 'expected true or false');
    } else if (k === 'findings') {
      if (typeof v === 'string' && TEST_FINDINGS.has(v)) out.findings = v as TestFilesConfig['findings'];
      else problem('testFiles.findings', 'expected "live-keys", "all" or "none"');
    } else problem(`testFiles.${k}`, 'unknown key (expected patterns, builtin, findings)');
  }
  return out;
}

/**
 * Reads and validates a configuration file; a missing file (nothing at that path, not even a
 * dangling link) is not an error. Anything else that stops the read is a problem with its cause:
 * a folder, a FIFO or device, a symbolic-link loop, a permission error.
 */
export function loadConfigFile(file: string, knownRules: ReadonlySet<string>): { config: Config; problems: ConfigProblem[]; found: boolean } {
  const fail = (message: string) => ({ config: { ...DEFAULT_CONFIG }, problems: [{ file, key: '(file)', message }], found: true });
  try { fs.lstatSync(file); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { config: { ...DEFAULT_CONFIG }, problems: [], found: false };
    return fail(`cannot read: ${describeError(e)}`);
  }
  let text: string;
  try {
    // Checked first: reading a FIFO would wait for a writer forever.
    const st = fs.statSync(file);
    if (!st.isFile()) return fail(st.isDirectory() ? 'is a folder, not a file' : 'is not a regular file');
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot read: ${describeError(e)}`);
  }
  return { ...parseConfigText(text, file, knownRules), found: true };
}

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'a loop of symbolic links (ELOOP)';
  if (code === 'ENOENT') return 'a symbolic link to nothing (ENOENT)';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ? `${(e as Error).message}` : String(e);
}

/** Parses configuration text; a UTF-8 byte order mark (as some Windows editors write) is fine. */
export function parseConfigText(text: string, file: string, knownRules: ReadonlySet<string>): { config: Config; problems: ConfigProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { config: { ...DEFAULT_CONFIG }, problems: [{ file, key: '(syntax)', message: `invalid JSON: ${(e as Error).message}` }] };
  }
  return validateConfig(raw, file, knownRules);
}

/** Finds the configuration file for a path: the nearest .vibeguard.json in it or its parents. */
export function findConfigFile(start: string, stopAt?: string): string | undefined {
  let dir = path.resolve(start);
  try { if (fs.statSync(dir).isFile()) dir = path.dirname(dir); } catch { dir = path.dirname(dir); }
  for (;;) {
    const f = path.join(dir, CONFIG_FILE);
    // lstat, not exists: a broken or looping link is still the configuration, and reported as such.
    if (lstatOk(f)) return f;
    const parent = path.dirname(dir);
    if (parent === dir || (stopAt && path.resolve(stopAt) === dir)) return undefined;
    dir = parent;
  }
}

function lstatOk(p: string): boolean {
  try { fs.lstatSync(p); return true; } catch { return false; }
}

export function isIgnored(config: Config, relPath: string): boolean {
  const p = relPath.replace(/\\/g, '/');
  return config.ignore.some((g) => matchGlob(g, p));
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}: ${p.key}: ${p.message}`;
}

function nearest(id: string, known: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestD) { bestD = d; best = k; }
  }
  return bestD <= Math.max(3, id.length / 3) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
