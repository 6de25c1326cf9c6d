// The committed triage of the ecosystem check: one verdict per finding on the pinned public
// repositories, keyed by a fingerprint that survives line shifts. No code of those repositories
// is stored here: only the path, the rule, the fingerprint and one line of why.
import * as crypto from 'crypto';

export type Verdict = 'tp' | 'fp' | 'debatable';

export interface TriageEntry {
  repo: string;
  path: string;
  rule: string;
  fingerprint: string;
  /** Where the finding was when triaged (informational; matching uses the fingerprint). */
  line: number;
  verdict: Verdict;
  why: string;
}

export interface TriageFile { version: 1; entries: TriageEntry[] }

const VERDICTS = new Set<Verdict>(['tp', 'fp', 'debatable']);

/** Problems that make the triage file unusable, one line each; empty when it is well formed. */
export function validateTriage(raw: unknown, knownRules: ReadonlySet<string>, knownRepos?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null || (raw as TriageFile).version !== 1 || !Array.isArray((raw as TriageFile).entries)) {
    return ['expected { "version": 1, "entries": [...] }'];
  }
  const seen = new Set<string>();
  (raw as TriageFile).entries.forEach((e, i) => {
    const at = `entries[${i}]`;
    if (typeof e !== 'object' || e === null) { problems.push(`${at}: not an object`); return; }
    for (const k of ['repo', 'path', 'rule', 'fingerprint', 'why'] as const) {
      if (typeof e[k] !== 'string' || !e[k].trim()) problems.push(`${at}.${k}: expected a non-empty string`);
    }
    if (!Number.isInteger(e.line) || e.line < 1) problems.push(`${at}.line: expected a positive integer`);
    if (!VERDICTS.has(e.verdict)) problems.push(`${at}.verdict: expected tp, fp or debatable`);
    if (typeof e.rule === 'string' && !knownRules.has(e.rule)) problems.push(`${at}.rule: unknown rule "${e.rule}"`);
    if (knownRepos && typeof e.repo === 'string' && !knownRepos.has(e.repo)) problems.push(`${at}.repo: "${e.repo}" is not in the ecosystem manifest`);
    if (typeof e.why === 'string' && e.why.length > 300) problems.push(`${at}.why: one line of why (at most 300 characters), not a copy of the code`);
    if (typeof e.why === 'string' && /\n/.test(e.why)) problems.push(`${at}.why: one line`);
    const key = `${e.repo}\0${e.fingerprint}`;
    if (seen.has(key)) problems.push(`${at}: duplicate fingerprint ${e.fingerprint} in ${e.repo}`);
    seen.add(key);
  });
  return problems;
}

/**
 * A finding's identity across unrelated edits: the rule, the file, the flagged code without its
 * whitespace, and which occurrence of that same code in the file it is. Line numbers
 * are left out so that lines added above a finding keep its triage.
 */
export function fingerprint(rule: string, relPath: string, flagged: string, occurrence: number): string {
  return crypto.createHash('sha256').update(`${rule}\0${relPath}\0${normalizeCode(flagged)}\0${occurrence}`).digest('hex').slice(0, 16);
}

/** Code with its whitespace removed, so re-indenting or re-wrapping it keeps its identity. */
export function normalizeCode(code: string): string {
  return code.replace(/\s+/g, '');
}
