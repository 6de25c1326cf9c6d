// `vibeguard scan --stats`: throughput, then where the analysis time went: parse (with the
// conversion to the IR and the code model) against the rules, and each rule's share with the file
// it was slowest on, so a rule that costs more than the others is seen the day it lands.
import type { FileTiming } from './types';

export interface StatsInput {
  files: number;
  lines: number;
  seconds: number;
  jobs: number;
  /** Per analysed file, with its path as reported. */
  timings: { path: string; timing: FileTiming }[];
}

export function formatStats(s: StatsInput): string {
  const out = [`vibeguard: ${s.files} files, ${s.lines} lines in ${s.seconds.toFixed(2)} s (${Math.round(s.lines / Math.max(s.seconds, 1e-6))} lines/s, ${s.jobs} job${s.jobs === 1 ? '' : 's'})\n`];
  if (!s.timings.length) return out.join('');
  let parse = 0;
  let rules = 0;
  const perRule = new Map<string, { ms: number; slowest: number; file: string }>();
  for (const { path, timing } of s.timings) {
    parse += timing.parseMs;
    rules += timing.rulesMs;
    for (const [id, ms] of Object.entries(timing.ruleMs)) {
      const r = perRule.get(id) ?? { ms: 0, slowest: -1, file: '' };
      r.ms += ms;
      if (ms > r.slowest) { r.slowest = ms; r.file = path; }
      perRule.set(id, r);
    }
  }
  const total = parse + rules;
  const pct = (x: number, of: number) => `${of > 0 ? ((100 * x) / of).toFixed(1) : '0.0'}%`;
  const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
  out.push(`vibeguard: analysis time over ${s.timings.length} analysed files (summed across jobs): ${ms(total)}\n`);
  const rows: string[][] = [
    ['', 'time', 'share', 'slowest file'],
    ['parse + IR + model', ms(parse), pct(parse, total), ''],
    ['rules', ms(rules), pct(rules, total), ''],
  ];
  // Rule time outside the rules' own visitors (dispatch, suppressions, sorting) is in `rules` only.
  for (const [id, r] of [...perRule].sort((a, b) => b[1].ms - a[1].ms)) rows.push([`  ${id}`, ms(r.ms), pct(r.ms, total), `${r.file} (${ms(r.slowest)})`]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) {
    const cells = row.map((cell, c) => (c === 0 || c === row.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])));
    out.push(`  ${cells.join('  ').trimEnd()}\n`);
  }
  return out.join('');
}
