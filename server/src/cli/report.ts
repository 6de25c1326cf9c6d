// The scan's outcome as the formatters see it: files in path order with their findings and notices.
import type { Severity } from '../../../rules/kit/rule';
import type { FileFinding, FileNotice } from './types';

export interface ReportFile {
  /** Relative to the current directory, forward slashes. */
  path: string;
  findings: FileFinding[];
  notices: FileNotice[];
  /** Fixes written to this file by --fix. */
  fixesApplied?: number;
}

export interface Counts { total: number; error: number; warning: number; info: number; fixable: number }

export function countFindings(files: readonly ReportFile[]): Counts {
  const c: Counts = { total: 0, error: 0, warning: 0, info: 0, fixable: 0 };
  for (const f of files) {
    for (const x of f.findings) {
      c.total++;
      c[x.severity]++;
      if (x.fix) c.fixable++;
    }
  }
  return c;
}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** Whether any finding is at or above the threshold (`off` never fails). */
export function failsAt(files: readonly ReportFile[], failOn: Severity | 'off'): boolean {
  if (failOn === 'off') return false;
  return files.some((f) => f.findings.some((x) => atLeast(x.severity, failOn)));
}

/**
 * `--stats`: per rule, how many findings offer a fix (`  sql-injection  20/23 with a fix`). A
 * finding without one says why in its message (`(no automatic fix: ...)`).
 */
export function formatFixCoverage(files: readonly ReportFile[]): string {
  const byRule = new Map<string, { total: number; fixable: number }>();
  for (const f of files) {
    for (const x of f.findings) {
      const r = byRule.get(x.rule) ?? { total: 0, fixable: 0 };
      r.total++;
      if (x.fix) r.fixable++;
      byRule.set(x.rule, r);
    }
  }
  if (!byRule.size) return '';
  const width = Math.max(...[...byRule.keys()].map((k) => k.length));
  const lines = [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([rule, r]) => `  ${rule.padEnd(width)}  ${r.fixable}/${r.total} with a fix\n`);
  return `vibeguard: findings that offer a fix, per rule:\n${lines.join('')}`;
}
