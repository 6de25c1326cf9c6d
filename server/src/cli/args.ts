// Command-line parsing: commands, `--opt value` / `--opt=value`, and the usage text.
import type { Severity } from '../../../rules/kit/rule';
import type { HookArgs } from './hook';
import { parseShard, type Shard } from './shard';

export type Format = 'text' | 'json' | 'sarif';
export type FailOn = Severity | 'off';

export interface ScanArgs {
  paths: string[];
  format: Format;
  fix: boolean;
  unsafeFixes: boolean;
  config?: string;
  failOn: FailOn;
  /** Findings below this severity are not reported (lowered to --fail-on when that is lower). */
  minSeverity: Severity;
  /** Undefined: chosen from the number of cores and files. */
  jobs?: number;
  /** Undefined: colours on a terminal unless NO_COLOR is set. */
  color?: boolean;
  stats: boolean;
  /** --baseline; undefined: the configuration's baseline, unless noBaseline. */
  baseline?: string;
  noBaseline: boolean;
  writeBaseline?: string;
  changedSince?: string;
  shard?: Shard;
  /** Files that could not be analysed are notices only: they do not make the exit code non-zero. */
  allowUnanalysed: boolean;
  /** --cache (or --cache-location) without --no-cache: results of unchanged files come from the result cache. */
  cache: boolean;
  /** --cache-location; undefined: node_modules/.cache/vibeguard of the project, else the user's cache folder. */
  cacheLocation?: string;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'scan'; args: ScanArgs }
  | { kind: 'rules'; format: 'text' | 'json' }
  | { kind: 'hook'; args: HookArgs }
  | { kind: 'mcp'; root: string }
  | { kind: 'lsp' };

export class UsageError extends Error {}

export const USAGE = `Usage: vibeguard <command> [options]

Commands:
  scan [paths...]      Analyse files and folders (default: .) and report findings
  rules                List the rules: id, severity, languages, category, quick fix
  hook [files...]      The check a coding agent runs after each edit: the files named, or
                       the edited file in the agent's hook JSON on stdin (Claude Code
                       PostToolUse, Cursor afterFileEdit and stop)
  mcp                  Model Context Protocol server over stdio for coding agents (tools:
                       scan, scan_snippet, get_fix, explain_rule)
  lsp --stdio          The language server over stdio, for editors other than VS Code
                       (also installed as vibeguard-lsp)
  help                 Show this help

Scan options:
  -f, --format <fmt>   Output format: text (default), json or sarif
      --fix            Apply safe quick fixes in place, then report what remains
      --unsafe-fixes   With --fix, also apply unsafe fixes (as "unsafeFixes": true does)
  -c, --config <file>  Configuration file (default: the nearest .vibeguard.json)
      --fail-on <sev>  Exit 1 when a finding at or above this severity remains:
                       error (default), warning, info, or off (never)
      --min-severity <sev>  Report findings at or above this severity: warning
                       (default: info findings, e.g. slow-but-correct code, are left
                       out) or info; never above --fail-on, so what fails is shown
      --allow-unanalysed
                       Report source files that could not be analysed as notices
                       only; by default they fail the run (exit 3)
  -j, --jobs <n>       Threads to scan with (default: the number of cores, but at
                       most one per 20 files)
      --no-color       No colours (text output is coloured only on a terminal, and
                       never when NO_COLOR is set); --color forces them
      --stats          Print files, lines, time and lines per second to stderr,
                       the analysis time of parsing and of each rule, and per
                       rule how many findings offer a fix
      --cache          Reuse the results of files unchanged since an earlier
                       --cache scan (same content, configuration, options, rules
                       and Vibe Guard version, and for results that read other
                       files, the same workspace); off by default
      --cache-location <dir>  Folder of the result cache (implies --cache; default:
                       node_modules/.cache/vibeguard in the project when it has
                       node_modules, else the user's cache folder)
      --no-cache       No result cache, even with --cache or --cache-location

Gating options (pull requests, pre-commit; see the README's CI section):
      --baseline <file>        Report and fail only on findings not recorded in the
                               baseline file, and say how many of its entries are gone
                               (default: the "baseline" named in .vibeguard.json)
      --no-baseline            Ignore the configuration's baseline
      --write-baseline <file>  Record every finding of this scan in a baseline file
                               (the exit code is then 0)
      --changed-since <ref>    Only files changed since the git ref (against the merge
                               base with HEAD; uncommitted and untracked files count),
                               and in them only findings on changed lines
      --shard <K/N>            Only the K-th of N parts of the files (split by a hash
                               of the path), for parallel CI jobs; each part's SARIF
                               has its own category

Rules options:
  -f, --format <fmt>   text (default) or json

Hook options:
      --staged         Check the files staged in git (a pre-commit hook)
      --fail-on <sev>  Report findings at or above: warning (default), error or info
  Exit codes: files named or --staged: 0 clean, 1 findings (printed on stdout).
  Claude Code: 0 clean, 2 findings (on stderr, which Claude Code gives to the model).
  Cursor: always 0; findings go back to the agent as the stop hook's followup_message.

MCP options:
      --root <dir>     The workspace the tools may read and write (default: .)

Other:
  -h, --help           Show this help
  -v, --version        Show the version

Folders are walked honouring .gitignore files and the configuration's "ignore" globs;
node_modules, .git and Python virtual environments are never entered. Files named on the
command line are always analysed.
Lines and columns are 1-based; columns count UTF-16 code units and end columns are exclusive.
JSON and SARIF go to stdout alone; notices (syntax errors, skipped files) go to stderr.
Each finding has a fingerprint (JSON "fingerprint", SARIF partialFingerprints) that stays
the same when lines move or other code changes; baselines match findings by it.

Each file's analysis has a time budget (timeBudgetMs in .vibeguard.json, default
10000 ms). A source file that could not be analysed (no part of it parses, binary
content that does not parse, out of time, nested too deeply, unreadable, an internal
error) gets a notice and fails the run: a gate never passes code it did not read.
Files above maxFileSizeKb and files that are not regular files (FIFOs) are skipped
with a notice and do not fail the run.

Exit codes: 0 nothing at or above --fail-on and every source file analysed,
            1 findings at or above --fail-on,
            2 usage or configuration error, an unusable baseline file, an unknown git
              ref or no git work tree for --changed-since (nothing is scanned),
            3 no such findings, but a source file could not be analysed
              (unless --allow-unanalysed).
`;

interface OptionSpec { name: string; short?: string; value: boolean }
const SCAN_OPTIONS: OptionSpec[] = [
  { name: 'format', short: 'f', value: true },
  { name: 'fix', value: false },
  { name: 'unsafe-fixes', value: false },
  { name: 'config', short: 'c', value: true },
  { name: 'fail-on', value: true },
  { name: 'min-severity', value: true },
  { name: 'jobs', short: 'j', value: true },
  { name: 'color', value: false },
  { name: 'no-color', value: false },
  { name: 'stats', value: false },
  { name: 'baseline', value: true },
  { name: 'no-baseline', value: false },
  { name: 'write-baseline', value: true },
  { name: 'changed-since', value: true },
  { name: 'shard', value: true },
  { name: 'allow-unanalysed', value: false },
  { name: 'cache', value: false },
  { name: 'no-cache', value: false },
  { name: 'cache-location', value: true },
  { name: 'help', short: 'h', value: false },
  { name: 'version', short: 'v', value: false },
];
const RULES_OPTIONS = SCAN_OPTIONS.filter((o) => ['format', 'help', 'version'].includes(o.name));
const HOOK_OPTIONS: OptionSpec[] = [{ name: 'staged', value: false }, ...SCAN_OPTIONS.filter((o) => ['fail-on', 'help'].includes(o.name))];
const MCP_OPTIONS: OptionSpec[] = [{ name: 'root', value: true }, ...SCAN_OPTIONS.filter((o) => o.name === 'help')];
const LSP_OPTIONS: OptionSpec[] = [{ name: 'stdio', value: false }, ...SCAN_OPTIONS.filter((o) => o.name === 'help')];

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command (scan, rules, hook, mcp, lsp or help)');
  if (command === '-h' || command === '--help' || command === 'help') return { kind: 'help' };
  if (command === '-v' || command === '--version' || command === 'version') return { kind: 'version' };
  if (command === 'scan') {
    const { options, positionals } = parseOptions(rest, SCAN_OPTIONS, true);
    if (options.has('help')) return { kind: 'help' };
    if (options.has('version')) return { kind: 'version' };
    return { kind: 'scan', args: scanArgs(options, positionals) };
  }
  if (command === 'rules') {
    const { options } = parseOptions(rest, RULES_OPTIONS, false);
    if (options.has('help')) return { kind: 'help' };
    if (options.has('version')) return { kind: 'version' };
    const format = options.get('format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json for rules (got "${format}")`);
    return { kind: 'rules', format };
  }
  if (command === 'hook' || command === 'mcp' || command === 'lsp') return agentCommand(command, rest);
  if (command.startsWith('-')) throw new UsageError(`unknown option ${command} (options follow a command: vibeguard scan ${command} ...)`);
  throw new UsageError(`unknown command "${command}" (expected scan, rules, hook, mcp, lsp or help)`);
}

/** The commands coding agents and other editors run: hook, mcp, lsp. */
function agentCommand(command: 'hook' | 'mcp' | 'lsp', rest: readonly string[]): Command {
  const specs = command === 'hook' ? HOOK_OPTIONS : command === 'mcp' ? MCP_OPTIONS : LSP_OPTIONS;
  const { options, positionals } = parseOptions(rest, specs, command === 'hook');
  if (options.has('help')) return { kind: 'help' };
  if (command === 'mcp') return { kind: 'mcp', root: options.get('root') ?? '.' };
  if (command === 'lsp') return { kind: 'lsp' };
  const failOn = options.get('fail-on') ?? 'warning';
  if (!['error', 'warning', 'info'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or info for hook (got "${failOn}")`);
  if (options.has('staged') && positionals.length) throw new UsageError('--staged checks the staged files: name no files with it');
  return { kind: 'hook', args: { files: positionals, staged: options.has('staged'), failOn: failOn as Severity } };
}

function scanArgs(options: Map<string, string>, positionals: string[]): ScanArgs {
  const format = options.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${format}")`);
  const failOn = options.get('fail-on') ?? 'error';
  if (!['error', 'warning', 'info', 'off'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info or off (got "${failOn}")`);
  const min = options.get('min-severity') ?? 'warning';
  if (!['error', 'warning', 'info'].includes(min)) throw new UsageError(`--min-severity must be error, warning or info (got "${min}")`);
  const rank = { info: 0, warning: 1, error: 2 } as const;
  const minSeverity = failOn !== 'off' && rank[failOn as Severity] < rank[min as Severity] ? failOn as Severity : min as Severity;
  let jobs: number | undefined;
  if (options.has('jobs')) {
    const raw = options.get('jobs')!;
    jobs = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(jobs >= 1 && jobs <= 256)) throw new UsageError(`--jobs must be a whole number from 1 to 256 (got "${raw}")`);
  }
  if (options.has('unsafe-fixes') && !options.has('fix')) throw new UsageError('--unsafe-fixes needs --fix');
  checkGating(options);
  let shard: Shard | undefined;
  if (options.has('shard')) {
    try { shard = parseShard(options.get('shard')!); } catch (e) { throw new UsageError((e as Error).message); }
  }
  if (options.get('config') === '') throw new UsageError('--config needs a file name (got an empty one)');
  if (options.get('cache-location') === '') throw new UsageError('--cache-location needs a folder (got an empty one)');
  return {
    paths: positionals.length ? positionals : ['.'],
    format,
    fix: options.has('fix'),
    unsafeFixes: options.has('unsafe-fixes'),
    config: options.get('config'),
    failOn: failOn as FailOn,
    minSeverity,
    jobs,
    color: options.has('no-color') ? false : options.has('color') ? true : undefined,
    stats: options.has('stats'),
    baseline: options.get('baseline'),
    noBaseline: options.has('no-baseline'),
    writeBaseline: options.get('write-baseline'),
    changedSince: options.get('changed-since'),
    shard,
    allowUnanalysed: options.has('allow-unanalysed'),
    // --no-cache wins, so that it can be added to a command (an npm script) that says --cache.
    cache: !options.has('no-cache') && (options.has('cache') || options.has('cache-location')),
    cacheLocation: options.get('cache-location'),
  };
}

/** Combinations of the gating options that cannot mean anything sensible. */
function checkGating(options: Map<string, string>) {
  for (const name of ['baseline', 'write-baseline', 'changed-since']) {
    if (options.get(name) === '') throw new UsageError(`--${name} needs a value`);
  }
  if (options.has('baseline') && options.has('no-baseline')) throw new UsageError('--baseline and --no-baseline contradict each other');
  if (!options.has('write-baseline')) return;
  // A baseline records the whole tree as it is: a filtered scan would leave findings out of it.
  if (options.has('baseline')) throw new UsageError('--write-baseline records every finding; drop --baseline');
  if (options.has('changed-since')) throw new UsageError('--write-baseline records every finding; drop --changed-since');
  if (options.has('shard')) throw new UsageError('--write-baseline records every finding; write it from a scan without --shard');
}

function parseOptions(args: readonly string[], specs: OptionSpec[], positionalsAllowed: boolean) {
  const options = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') { positionals.push(...args.slice(i + 1)); break; }
    if (!arg.startsWith('-') || arg === '-') {
      if (!positionalsAllowed) throw new UsageError(`unexpected argument "${arg}"`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq === -1 ? arg : arg.slice(0, eq);
    const spec = key.startsWith('--') ? specs.find((s) => `--${s.name}` === key) : specs.find((s) => s.short && `-${s.short}` === key);
    if (!spec) throw new UsageError(`unknown option ${key}`);
    let value = 'true';
    if (spec.value) {
      if (eq !== -1) value = arg.slice(eq + 1);
      else if (i + 1 < args.length) value = args[++i];
      else throw new UsageError(`${key} needs a value`);
    } else if (eq !== -1) throw new UsageError(`${key} takes no value`);
    options.set(spec.name, value);
  }
  return { options, positionals };
}
