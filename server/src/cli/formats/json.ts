// `--format json`: exactly {"findings":[{file, rule, line, endLine, column, endColumn, severity,
// message, fix?}]}. Lines and columns are 1-based; columns count UTF-16 code units and endColumn
// is exclusive (the column after the last character), as in SARIF.
import type { ReportFile } from '../report';

export function formatJson(files: readonly ReportFile[]): string {
  const findings: Record<string, unknown>[] = [];
  for (const f of files) {
    for (const x of f.findings) {
      const o: Record<string, unknown> = {
        file: f.path, rule: x.rule, line: x.line, endLine: x.endLine, column: x.column, endColumn: x.endColumn,
        severity: x.severity, message: x.message,
      };
      if (x.fix) o.fix = { title: x.fix.title, safety: x.fix.safety };
      findings.push(o);
    }
  }
  return JSON.stringify({ findings }) + '\n';
}
