// Findings as a coding agent reads them (hook output, MCP and language-model tool results): one
// line per finding, `path:line:column severity rule: message. Fix: "title" (safe)`, so the agent
// knows where, what, and which fix it may apply verbatim. Like the CLI's text format, no source
// line is quoted, so a hard-coded secret is never repeated into the agent's context.
import type { FileFinding } from '../cli/types';
import type { ReportFile } from '../cli/report';

export function findingLine(file: string, f: FileFinding): string {
  const fix = f.fix
    ? ` Fix: "${f.fix.title}" (${f.fix.safety === 'safe' ? 'safe' : 'unsafe: changes behaviour, review it'}).`
    : ' No automatic fix.';
  return `${file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}.${fix}`;
}

export interface AgentReport {
  /** One line per finding (at most `max`), then a line saying how many were left out. */
  lines: string[];
  findings: number;
  files: number;
}

export function agentReport(files: readonly ReportFile[], max = Infinity): AgentReport {
  const lines: string[] = [];
  let findings = 0;
  let withFindings = 0;
  for (const f of files) {
    if (f.findings.length) withFindings++;
    for (const x of f.findings) {
      if (findings++ < max) lines.push(findingLine(f.path, x));
    }
  }
  if (findings > max) lines.push(`... and ${findings - max} more (scan fewer files to see them)`);
  return { lines, findings, files: withFindings };
}

/** Why a file was not analysed, or only partly (it does not parse). */
export function noticeLines(files: readonly ReportFile[]): string[] {
  const out: string[] = [];
  for (const f of files) for (const n of f.notices) out.push(`note: ${f.path}: ${n.message}`);
  return out;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
