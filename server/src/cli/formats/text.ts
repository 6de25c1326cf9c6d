// `--format text`: findings grouped by file, `line:col  severity  message  rule-id  (fix: title)`,
// then one summary line. No source lines are printed, so a hard-coded secret never reaches a
// terminal or CI log in full (the engine redacts messages), and control characters in file names
// and messages are printed as escapes.
import type { Severity } from '../../../../rules/kit/rule';
import { countFindings, type ReportFile } from '../report';
import { escapeControl } from '../escape';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  underline(s: string): string;
  severity(sev: Severity, s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, underline: (s) => s, severity: (_, s) => s };

const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const SEVERITY_COLOUR: Record<Severity, (s: string) => string> = { error: ansi(31, 39), warning: ansi(33, 39), info: ansi(36, 39) };
const coloured: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  underline: ansi(4, 24),
  severity: (sev, s) => SEVERITY_COLOUR[sev](s),
};

export function style(colour: boolean): Style { return colour ? coloured : plain; }

export function formatText(files: readonly ReportFile[], s: Style): string {
  const out: string[] = [];
  for (const f of files) {
    if (!f.findings.length) continue;
    out.push(s.underline(escapeControl(f.path)));
    const posWidth = Math.max(...f.findings.map((x) => `${x.line}:${x.column}`.length));
    const sevWidth = Math.max(...f.findings.map((x) => x.severity.length));
    for (const x of f.findings) {
      const pos = `${x.line}:${x.column}`.padEnd(posWidth);
      const sev = s.severity(x.severity, x.severity.padEnd(sevWidth));
      const fix = x.fix ? `  ${s.dim(`(fix: ${escapeControl(x.fix.title)})`)}` : '';
      out.push(`  ${s.dim(pos)}  ${sev}  ${escapeControl(x.message)}  ${s.dim(x.rule)}${fix}`);
    }
    out.push('');
  }
  const c = countFindings(files);
  const summary = `${plural(c.total, 'problem')} (${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info), ${c.fixable} fixable`;
  out.push(c.error ? s.severity('error', s.bold(summary)) : c.warning ? s.severity('warning', s.bold(summary)) : s.bold(summary));
  return out.join('\n') + '\n';
}

/** `src/app.ts: 2 fixes applied` for each file --fix changed. */
export function formatFixesApplied(files: readonly ReportFile[]): string {
  return files
    .filter((f) => f.fixesApplied)
    .map((f) => `${escapeControl(f.path)}: ${plural(f.fixesApplied!, 'fix')} applied\n`)
    .join('');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('x') ? 'es' : 's'}`;
}
