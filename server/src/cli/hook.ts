// `vibeguard hook`: the check a coding agent runs after each edit, answering in the agent's own
// hook protocol (see hookInput.ts) so the findings go back into its loop:
// - Claude Code (PostToolUse): findings on stderr, exit code 2; clean: exit 0, silent;
// - Cursor: afterFileEdit remembers the file (its output is not read); stop checks the files
//   remembered and answers {"followup_message"} while findings remain (at most MAX_FOLLOW_UPS);
// - files named as arguments, or --staged (git pre-commit, Aider's --lint-cmd, any agent that
//   runs a command): findings on stdout, exit code 1; clean: exit 0.
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { Severity } from '../../../rules/kit/rule';
import { DEFAULT_CONFIG, findConfigFile, isIgnored, loadConfigFile, type Config } from '../config';
import { allRules } from '../../../rules/index';
import { ScanPool } from './pool';
import { availableCores, settleTiering } from './tiering';
import { isSourceFile, toPosix } from './walk';
import { atLeast, type ReportFile } from './report';
import { agentReport, plural } from '../agent/report';
import { parseHookInput, HookInputError } from './hookInput';
import { EditedFiles } from './hookState';

export interface HookArgs {
  files: string[];
  staged: boolean;
  /** Findings below this severity are not reported. */
  failOn: Severity;
}

/** Cursor allows five automatic follow-ups per conversation; three tries are enough for a fix. */
const MAX_FOLLOW_UPS = 3;
const RULE_IDS: ReadonlySet<string> = new Set(allRules.map((r) => r.id));

export async function runHook(args: HookArgs, cwd = process.cwd(), env = process.env): Promise<number> {
  if (args.files.length || args.staged) {
    const files = args.staged ? stagedFiles(cwd) : args.files.map((f) => path.resolve(cwd, f));
    const found = await check(files, cwd, args.failOn);
    if (!found.count) return 0;
    process.stdout.write(`${found.lines.join('\n')}\n${fixHint(found)}`);
    return 1;
  }
  if (process.stdin.isTTY) throw new HookInputError('name the files to check, or pipe the agent\'s hook JSON to stdin');
  const event = parseHookInput(await readStdin(), cwd, env);
  switch (event.agent) {
    case 'none': return 0;
    case 'claude': {
      const found = await check(event.files, event.root, args.failOn);
      if (!found.count) return 0;
      process.stderr.write(`Vibe Guard: ${plural(found.count, 'problem')} in code you just wrote. Fix ${found.count === 1 ? 'it' : 'them'} before moving on:\n${found.lines.join('\n')}\n${fixHint(found)}`);
      return 2;
    }
    case 'cursor-edit':
      new EditedFiles(event.conversation, env).add(event.files.filter((f) => isSourceFile(f)));
      process.stdout.write('{}\n');
      return 0;
    case 'cursor-stop': {
      const edited = new EditedFiles(event.conversation, env);
      const found = await check(edited.list(), event.root, args.failOn);
      if (!found.count) edited.clear();
      if (!found.count || event.loopCount >= MAX_FOLLOW_UPS) {
        // Out of follow-ups: the findings stay in Cursor's Hooks output for the user.
        if (found.count) process.stderr.write(`${found.lines.join('\n')}\n`);
        process.stdout.write('{}\n');
        return 0;
      }
      const message = `Vibe Guard found ${plural(found.count, 'problem')} in files you edited. Fix ${found.count === 1 ? 'it' : 'them'}, then finish:\n${found.lines.join('\n')}\n${fixHint(found)}`;
      process.stdout.write(JSON.stringify({ followup_message: message }) + '\n');
      return 0;
    }
  }
}

interface Found {
  count: number;
  lines: string[];
  /** Display paths of the files with a safe fix. */
  safelyFixable: string[];
}

/** Scans the edited source files that exist and are not ignored by .vibeguard.json. */
async function check(candidates: readonly string[], root: string, failOn: Severity): Promise<Found> {
  const configFile = findConfigFile(root);
  const config: Config = configFile ? loadConfigFile(configFile, RULE_IDS).config : DEFAULT_CONFIG;
  const workspaceRoot = configFile ? path.dirname(configFile) : root;
  const files = [...new Set(candidates)].filter((f) => isSourceFile(f) && isFile(f) && !ignored(config, workspaceRoot, f));
  if (!files.length) return { count: 0, lines: [], safelyFixable: [] };
  const workerScript = path.join(__dirname, 'scanWorker.js');
  if (!fs.existsSync(workerScript)) throw new Error(`${workerScript} is missing; run \`npm run build\``);
  const jobs = Math.min(files.length, availableCores(), Math.ceil(files.length / 20));
  settleTiering(jobs);
  const pool = new ScanPool(jobs, { config, workspaceRoot, fixEdits: false }, workerScript);
  let report: ReportFile[];
  try {
    const results = await pool.scan(files);
    report = results.map((r) => ({ path: shown(root, r.file), findings: r.findings.filter((x) => atLeast(x.severity, failOn)), notices: [] }));
  } finally {
    await pool.close();
  }
  const { lines, findings } = agentReport(report);
  const safelyFixable = report.filter((f) => f.findings.some((x) => x.fix?.safety === 'safe')).map((f) => f.path);
  return { count: findings, lines, safelyFixable };
}

function fixHint(found: Found): string {
  if (!found.safelyFixable.length) return '';
  return `Safe fixes apply with: vibeguard scan --fix ${found.safelyFixable.map(quote).join(' ')}\n`;
}

function ignored(config: Config, workspaceRoot: string, file: string): boolean {
  const rel = path.relative(workspaceRoot, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel) && isIgnored(config, toPosix(rel));
}

function shown(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? toPosix(rel) : file;
}

function isFile(f: string): boolean {
  try { return fs.statSync(f).isFile(); } catch { return false; }
}

function quote(p: string): string {
  return /^[\w./@+-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/** Files staged in git (added, copied, modified, renamed), as absolute paths. */
function stagedFiles(cwd: string): string[] {
  const git = (...a: string[]) => spawnSync('git', a, { cwd, encoding: 'utf8' });
  const top = git('rev-parse', '--show-toplevel');
  if (top.status !== 0) throw new HookInputError(`--staged needs a git repository (${(top.stderr || top.error?.message || '').trim()})`);
  const names = git('diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z');
  return names.stdout.split('\0').filter(Boolean).map((n) => path.join(top.stdout.trim(), n));
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (text += d));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}
