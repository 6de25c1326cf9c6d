// `--format json`: {"findings":[{file, rule, line, endLine, column, endColumn, severity, message,
// fingerprint, fix?}]}, plus "baseline":{file, known, gone} when a baseline applied. Lines and
// columns are 1-based; columns count UTF-16 code units and endColumn is exclusive (the column
// after the last character), as in SARIF.
import type { BaselineSummary } from '../gating';
import type { ReportFile } from '../report';

export function formatJson(files: readonly ReportFile[], baseline?: BaselineSummary): string {
  const findings: Record<string, unknown>[] = [];
  for (const f of files) {
    for (const x of f.findings) {
      const o: Record<string, unknown> = {
        file: f.path, rule: x.rule, line: x.line, endLine: x.endLine, column: x.column, endColumn: x.endColumn,
        severity: x.severity, message: x.message, fingerprint: x.fingerprint,
      };
      if (x.fix) o.fix = { title: x.fix.title, safety: x.fix.safety };
      findings.push(o);
    }
  }
  const out: Record<string, unknown> = { findings };
  // Entry paths stay relative to the baseline file's folder, as in the file itself.
  if (baseline) out.baseline = { file: baseline.file, known: baseline.known, gone: baseline.gone };
  return JSON.stringify(out) + '\n';
}
