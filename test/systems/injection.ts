/**
 * The verdict of the sql-injection fix checks: the same probes go to the code before and after
 * the fix; ordinary requests must answer the same, and each injection payload must leak before
 * (answer differently from the ordinary lookup it stands in for) and answer like it after.
 */
import { Checks, Outcome, rowCount, show } from './suite';

/** Before/after outcomes of the same probes. */
export interface Runs {
  before: Record<string, Outcome>;
  after: Record<string, Outcome>;
}

/**
 * An injection probe: the payload request, and the ordinary lookup (same route, a value that
 * matches nothing) whose answer the fixed code must give to the payload too.
 */
export interface Injection {
  payload: string;
  normal: string;
  /** How the leak reads in the report, from the vulnerable answer. */
  leak: (before: Outcome) => string;
}

/**
 * The common verdict: ordinary probes answer the same before and after; each injection leaks
 * before (its answer differs from the ordinary lookup) and answers like the ordinary lookup after.
 */
export function judge(runs: Runs, ordinary: string[], injections: Injection[]): { checks: Checks; beforeText: string; afterText: () => string } {
  const checks = new Checks();
  const { before, after } = runs;
  const answered = (o: Outcome) => o.status > 0 && o.status < 500;
  for (const name of ordinary) {
    checks.expect(answered(before[name]), `ordinary '${name}' failed before the fix: ${show(before[name])}`);
    checks.same(after[name], before[name], `ordinary '${name}' changed with the fix (after vs before)`);
  }
  const leaks: string[] = [];
  for (const inj of injections) {
    const b = before[inj.payload];
    checks.differs(b, before[inj.normal], `'${inj.payload}' did not inject before the fix (same answer as '${inj.normal}')`);
    checks.same(after[inj.payload], after[inj.normal], `'${inj.payload}' after the fix vs the ordinary lookup '${inj.normal}'`);
    leaks.push(inj.leak(b));
  }
  const rows = [...new Set(injections.map((i) => rowCount(after[i.payload].body)))].join(' or ');
  // Read when the row is recorded, so that checks added after judge() count too.
  const afterText = () =>
    checks.ok
      ? `passes: each of ${injections.length} payloads got exactly the answer of the ordinary lookup it stands in for (${rows} rows); ${ordinary.length} ordinary requests answered as before`
      : `FAILS: ${checks.failures.join('; ')}`;
  return { checks, beforeText: `fails: ${leaks.join('; ')}`, afterText };
}

