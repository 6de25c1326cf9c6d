// Command-line parsing: commands, `--opt value` / `--opt=value`, and the usage text.
import type { Severity } from '../../../rules/kit/rule';

export type Format = 'text' | 'json' | 'sarif';
export type FailOn = Severity | 'off';

export interface ScanArgs {
  paths: string[];
  format: Format;
  fix: boolean;
  unsafeFixes: boolean;
  config?: string;
  failOn: FailOn;
  /** Undefined: chosen from the number of cores and files. */
  jobs?: number;
  /** Undefined: colours on a terminal unless NO_COLOR is set. */
  color?: boolean;
  stats: boolean;
  /** Files that could not be analysed are notices only: they do not make the exit code non-zero. */
  allowUnanalysed: boolean;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'scan'; args: ScanArgs }
  | { kind: 'rules'; format: 'text' | 'json' };

export class UsageError extends Error {}

export const USAGE = `Usage: vibeguard <command> [options]

Commands:
  scan [paths...]      Analyse files and folders (default: .) and report findings
  rules                List the rules: id, severity, languages, category, quick fix
  help                 Show this help

Scan options:
  -f, --format <fmt>   Output format: text (default), json or sarif
      --fix            Apply safe quick fixes in place, then report what remains
      --unsafe-fixes   With --fix, also apply unsafe fixes (as "unsafeFixes": true does)
  -c, --config <file>  Configuration file (default: the nearest .vibeguard.json)
      --fail-on <sev>  Exit 1 when a finding at or above this severity remains:
                       error (default), warning, info, or off (never)
      --allow-unanalysed
                       Report source files that could not be analysed as notices
                       only; by default they fail the run (exit 3)
  -j, --jobs <n>       Threads to scan with (default: the number of cores, but at
                       most one per 20 files)
      --no-color       No colours (text output is coloured only on a terminal, and
                       never when NO_COLOR is set); --color forces them
      --stats          Print files, lines, time and lines per second to stderr

Rules options:
  -f, --format <fmt>   text (default) or json

Other:
  -h, --help           Show this help
  -v, --version        Show the version

Folders are walked honouring .gitignore files and the configuration's "ignore" globs;
node_modules, .git and Python virtual environments are never entered. Files named on the
command line are always analysed.
Lines and columns are 1-based; columns count UTF-16 code units and end columns are exclusive.
JSON and SARIF go to stdout alone; notices (syntax errors, skipped files) go to stderr.

Each file's analysis has a time budget (timeBudgetMs in .vibeguard.json, default
10000 ms). A source file that could not be analysed (no part of it parses, binary
content that does not parse, out of time, nested too deeply, unreadable, an internal
error) gets a notice and fails the run: a gate never passes code it did not read.
Files above maxFileSizeKb and files that are not regular files (FIFOs) are skipped
with a notice and do not fail the run.

Exit codes: 0 nothing at or above --fail-on and every source file analysed,
            1 findings at or above --fail-on,
            2 usage or configuration error (nothing is scanned),
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
  { name: 'jobs', short: 'j', value: true },
  { name: 'color', value: false },
  { name: 'no-color', value: false },
  { name: 'stats', value: false },
  { name: 'allow-unanalysed', value: false },
  { name: 'help', short: 'h', value: false },
  { name: 'version', short: 'v', value: false },
];
const RULES_OPTIONS = SCAN_OPTIONS.filter((o) => ['format', 'help', 'version'].includes(o.name));

export function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('missing command (scan, rules or help)');
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
  if (command.startsWith('-')) throw new UsageError(`unknown option ${command} (options follow a command: vibeguard scan ${command} ...)`);
  throw new UsageError(`unknown command "${command}" (expected scan, rules or help)`);
}

function scanArgs(options: Map<string, string>, positionals: string[]): ScanArgs {
  const format = options.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${format}")`);
  const failOn = options.get('fail-on') ?? 'error';
  if (!['error', 'warning', 'info', 'off'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info or off (got "${failOn}")`);
  let jobs: number | undefined;
  if (options.has('jobs')) {
    const raw = options.get('jobs')!;
    jobs = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(jobs >= 1 && jobs <= 256)) throw new UsageError(`--jobs must be a whole number from 1 to 256 (got "${raw}")`);
  }
  if (options.has('unsafe-fixes') && !options.has('fix')) throw new UsageError('--unsafe-fixes needs --fix');
  if (options.get('config') === '') throw new UsageError('--config needs a file name (got an empty one)');
  return {
    paths: positionals.length ? positionals : ['.'],
    format,
    fix: options.has('fix'),
    unsafeFixes: options.has('unsafe-fixes'),
    config: options.get('config'),
    failOn: failOn as FailOn,
    jobs,
    color: options.has('no-color') ? false : options.has('color') ? true : undefined,
    stats: options.has('stats'),
    allowUnanalysed: options.has('allow-unanalysed'),
  };
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
