// The scan's exit code. A CI gate fails closed: besides findings at or above --fail-on, a source
// file that could not be analysed (no part of it parses, binary content that does not parse, out
// of time, out of stack, unreadable, an internal error) fails the run unless --allow-unanalysed
// turns such files into notices.
import { UNANALYSED } from '../notices';
import { failsAt, type ReportFile } from './report';
import type { FailOn } from './args';

export const EXIT_FINDINGS = 1;
export const EXIT_UNANALYSED = 3;

export function unanalysedFiles(files: readonly ReportFile[]): ReportFile[] {
  return files.filter((f) => f.notices.some((n) => UNANALYSED.has(n.kind)));
}

export function exitCode(files: readonly ReportFile[], failOn: FailOn, allowUnanalysed: boolean): number {
  if (failsAt(files, failOn)) return EXIT_FINDINGS;
  if (!allowUnanalysed && unanalysedFiles(files).length) return EXIT_UNANALYSED;
  return 0;
}

/** The stderr line explaining a non-zero exit for unanalysed files. */
export function unanalysedSummary(files: readonly ReportFile[], allowUnanalysed: boolean): string {
  const n = unanalysedFiles(files).length;
  if (!n) return '';
  const what = `${n} file${n === 1 ? '' : 's'} could not be analysed (see the notices above)`;
  return allowUnanalysed ? `vibeguard: ${what}\n` : `vibeguard: ${what}: failing the run (--allow-unanalysed reports them without failing)\n`;
}
