// GitHub code scanning rejects a whole SARIF upload that exceeds its limits ("SARIF results exceed
// hard limit" in GitHub's documentation): 20 runs per file, 25,000 results and 25,000 rules per
// run, 20 tags per rule, 1,000 locations per result, 10 MB per file once gzip-compressed. A scan
// of a large legacy tree can exceed them; rather than have the upload fail, the log is cut down
// to fit, keeping the most severe results, and says so in a tool notification.
import { gzipSync } from 'zlib';

export const GITHUB_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  tagsPerRule: 20,
  locationsPerResult: 1_000,
  gzipBytes: 10 * 1024 * 1024,
};
export type GithubLimits = typeof GITHUB_LIMITS;

interface Result { ruleIndex?: number; level?: string; locations?: unknown[]; fixes?: unknown[] }
interface Run {
  tool: { driver: { rules?: { properties?: { tags?: string[] } }[] } };
  results: Result[];
  invocations?: { toolExecutionNotifications?: object[] }[];
}
export interface Log { runs: Run[] }

const RANK: Record<string, number> = { error: 3, warning: 2, note: 1, none: 0 };

/** Cuts the log down to the limits (in place) and serialises it; the notices say what was left out. */
export function fitGithubLimits(log: Log, serialise: (log: Log) => string, limits: GithubLimits = GITHUB_LIMITS): { text: string; notices: string[] } {
  const notices: string[] = [];
  const notify = (run: Run | undefined, message: string) => {
    notices.push(message);
    if (!run) return;
    run.invocations ??= [{}];
    (run.invocations[0].toolExecutionNotifications ??= []).push(notification(message));
  };
  if (log.runs.length > limits.runsPerFile) {
    notify(undefined, `GitHub code scanning accepts at most ${limits.runsPerFile} runs per SARIF file: ${log.runs.length - limits.runsPerFile} runs left out`);
    log.runs = log.runs.slice(0, limits.runsPerFile);
  }
  for (const run of log.runs) fitRun(run, limits, notify);
  let text = serialise(log);
  if (gzipSync(text).length <= limits.gzipBytes) return { text, notices };

  // Too large: the fixes go first (GitHub does not show them), then the least severe results.
  const fixes = log.runs.reduce((n, r) => n + r.results.filter((x) => x.fixes).length, 0);
  for (const run of log.runs) for (const x of run.results) delete x.fixes;
  if (fixes) notify(log.runs[0], `the SARIF file is over GitHub's ${mb(limits.gzipBytes)} limit (gzip-compressed): the suggested fixes of ${fixes} results left out`);
  text = serialise(log);
  if (gzipSync(text).length <= limits.gzipBytes) return { text, notices };

  const all = log.runs.map((r) => r.results);
  const counts = all.map((r) => r.length);
  let placed: { run: Run; note: object }[] = [];
  // Each run keeps its `cap` most severe results, with a notification saying so (counted in the size).
  const cutTo = (cap: number) => {
    for (const { run, note } of placed) run.invocations![0].toolExecutionNotifications = run.invocations![0].toolExecutionNotifications!.filter((n) => n !== note);
    placed = [];
    log.runs.forEach((run, i) => {
      run.results = mostSevere(all[i], cap);
      const dropped = counts[i] - run.results.length;
      if (!dropped) return;
      const message = `the SARIF file is over GitHub's ${mb(limits.gzipBytes)} limit (gzip-compressed): kept the ${run.results.length} most severe of ${counts[i]} results; ${dropped} left out (--format json lists them all)`;
      const note = notification(message);
      run.invocations ??= [{}];
      (run.invocations[0].toolExecutionNotifications ??= []).push(note);
      placed.push({ run, note });
    });
    return serialise(log);
  };
  // The largest number of results per run that fits, by bisection on the serialised size.
  let lo = 0;
  let hi = Math.max(...counts);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (gzipSync(cutTo(mid)).length <= limits.gzipBytes) lo = mid; else hi = mid - 1;
  }
  text = cutTo(lo);
  for (const { note } of placed) notices.push((note as { message: { text: string } }).message.text);
  return { text, notices };
}

function notification(message: string): object {
  return { level: 'warning', message: { text: message }, descriptor: { id: 'github-limit' } };
}

function fitRun(run: Run, limits: GithubLimits, notify: (run: Run, message: string) => void) {
  const rules = run.tool.driver.rules ?? [];
  if (rules.length > limits.rulesPerRun) {
    notify(run, `GitHub code scanning accepts at most ${limits.rulesPerRun} rules per run: ${rules.length - limits.rulesPerRun} rules and their results left out`);
    run.tool.driver.rules = rules.slice(0, limits.rulesPerRun);
    run.results = run.results.filter((x) => x.ruleIndex === undefined || x.ruleIndex < limits.rulesPerRun);
  }
  for (const rule of run.tool.driver.rules ?? []) {
    const tags = rule.properties?.tags;
    if (tags && tags.length > limits.tagsPerRule) rule.properties!.tags = tags.slice(0, limits.tagsPerRule);
  }
  for (const x of run.results) if (x.locations && x.locations.length > limits.locationsPerResult) x.locations = x.locations.slice(0, limits.locationsPerResult);
  if (run.results.length > limits.resultsPerRun) {
    const total = run.results.length;
    run.results = mostSevere(run.results, limits.resultsPerRun);
    notify(run, `GitHub code scanning accepts at most ${limits.resultsPerRun} results per run: kept the ${limits.resultsPerRun} most severe of ${total}; ${total - limits.resultsPerRun} left out (--format json lists them all)`);
  }
}

/** The `cap` most severe results, in their original order (ties: the earlier ones). */
function mostSevere(results: Result[], cap: number): Result[] {
  if (results.length <= cap) return results;
  const keep = results.map((x, i) => ({ i, rank: RANK[x.level ?? 'warning'] ?? 0 }))
    .sort((a, b) => b.rank - a.rank || a.i - b.i)
    .slice(0, cap)
    .map((k) => k.i)
    .sort((a, b) => a - b);
  return keep.map((i) => results[i]);
}

function mb(bytes: number): string { return `${bytes / 1024 / 1024} MB`; }
