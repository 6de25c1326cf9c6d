// Findings against the triage: per-rule precision, findings nobody has read yet, and triaged
// findings that disappeared (a lost true positive is a regression).
import type { EcoFinding } from './scan';
import type { TriageEntry, Verdict } from './triage';

export interface RuleStats {
  rule: string;
  /** error and warning findings: the ones the CLI prints and fails on by default. */
  findings: number;
  tp: number;
  fp: number;
  debatable: number;
  untriaged: number;
  /** true positives that come with a quick fix */
  tpWithFix: number;
  /** error and warning findings that come with a quick fix (the others say why not in their message) */
  withFix: number;
  /** info findings, which the CLI prints only when asked */
  info: number;
  precision: number | null;
}

export interface Comparison {
  rules: RuleStats[];
  overall: RuleStats;
  untriaged: EcoFinding[];
  gone: TriageEntry[];
  lostTruePositives: TriageEntry[];
  verdictOf: Map<EcoFinding, Verdict | undefined>;
}

/**
 * Precision counts a debatable finding as half right: a reviewer could go either way on it, so it
 * neither proves the rule right nor wrong. Untriaged findings are left out of precision and
 * reported on their own (the check fails while any remain).
 */
export function precisionOf(tp: number, fp: number, debatable: number): number | null {
  const n = tp + fp + debatable;
  return n ? (tp + debatable / 2) / n : null;
}

export function compare(findings: EcoFinding[], triage: TriageEntry[], scannedRepos: ReadonlySet<string>): Comparison {
  const byKey = new Map(triage.map((e) => [`${e.repo}\0${e.fingerprint}`, e]));
  const matched = new Set<TriageEntry>();
  const verdictOf = new Map<EcoFinding, Verdict | undefined>();
  const stats = new Map<string, RuleStats>();
  const blank = (rule: string): RuleStats => ({ rule, findings: 0, tp: 0, fp: 0, debatable: 0, untriaged: 0, tpWithFix: 0, withFix: 0, info: 0, precision: null });
  const overall = blank('all');
  const untriaged: EcoFinding[] = [];
  for (const f of findings) {
    const entry = byKey.get(`${f.repo}\0${f.fingerprint}`);
    if (entry) matched.add(entry);
    verdictOf.set(f, entry?.verdict);
    let s = stats.get(f.rule);
    if (!s) stats.set(f.rule, (s = blank(f.rule)));
    for (const t of [s, overall]) {
      if (f.severity === 'info') { t.info++; continue; }
      t.findings++;
      if (!entry) t.untriaged++;
      else t[entry.verdict]++;
      if (entry?.verdict === 'tp' && f.fix) t.tpWithFix++;
      if (f.fix) t.withFix++;
    }
    if (!entry && f.severity !== 'info') untriaged.push(f);
  }
  for (const t of [...stats.values(), overall]) t.precision = precisionOf(t.tp, t.fp, t.debatable);
  const gone = triage.filter((e) => scannedRepos.has(e.repo) && !matched.has(e));
  return {
    rules: [...stats.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    overall,
    untriaged,
    gone,
    lostTruePositives: gone.filter((e) => e.verdict === 'tp'),
    verdictOf,
  };
}
