/**
 * Proves the quadratic-loop quick fix ("Use a Set"): the list-based dedupe and referral search of
 * an import, in JavaScript and in Python, run on the same 10,000 rows (a tenth of them
 * duplicates) before and after the engine's fix. The fixed code must give the same result; the
 * time of each side is reported.
 */
import { spawnSync } from 'node:child_process';
import { fixReport, registerReportWriter } from './report';
import { applyRuleFix, changedLines, fixture, FixedSource } from './fixes';
import { loadModule } from './load-modules';
import { PYTHON, pythonMissing } from './python';
import { Checks } from './suite';

registerReportWriter();

const RULE = 'quadratic-loop';
const N = 10_000;

/** Rows with every tenth e-mail repeated and each row referred by the one after it. */
function rows(): { email: string; referredBy: string }[] {
  return Array.from({ length: N }, (_, i) => ({ email: `u${i % 10 === 9 ? i - 1 : i}@example.com`, referredBy: `u${i + 1}@example.com` }));
}

const timed = <T>(f: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = f();
  return { value, ms: Math.round(performance.now() - t0) };
};

function logFix(fixed: FixedSource): void {
  console.log(`      fix:\n${changedLines(fixed.before, fixed.after).split('\n').map((l) => `        ${l}`).join('\n')}`);
}

describe('quadratic-loop fix: same result from a Set', function () {
  this.timeout(120_000);

  it(`JavaScript: dedupe and referral search over ${N} rows`, async function () {
    const fixed = await applyRuleFix(RULE, 'import/dedupe.js', fixture('test/systems/apps/load/dedupe.js'));
    logFix(fixed);
    try {
      type Mod = { countUniqueEmails(r: unknown[]): number; referredRows(r: unknown[]): unknown[] };
      const data = rows();
      const before = loadModule<Mod>(fixed.before, 'dedupe-before');
      const after = loadModule<Mod>(fixed.after, 'dedupe-after');
      const b1 = timed(() => before.countUniqueEmails(data));
      const a1 = timed(() => after.countUniqueEmails(data));
      const b2 = timed(() => before.referredRows(data));
      const a2 = timed(() => after.referredRows(data));
      const checks = new Checks();
      checks.same(a1.value, b1.value, 'countUniqueEmails differs');
      checks.same(a2.value, b2.value, 'referredRows differs');
      fixReport.record({
        rule: RULE,
        dialectOrFramework: `JavaScript (Node ${process.version}): list includes → Set has`,
        beforeFix: `slow: ${N} rows: countUniqueEmails ${b1.ms} ms (${b1.value} unique), referredRows ${b2.ms} ms (${(b2.value as unknown[]).length} rows)`,
        afterFix: checks.ok ? `passes: the same results, countUniqueEmails ${a1.ms} ms, referredRows ${a2.ms} ms` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('quadratic-loop JS');
    } finally {
      fixed.cleanup();
    }
  });

  it(`Python: find_duplicates over ${N} e-mails`, async function () {
    const label = 'Python: `in` on a list → set';
    const missing = pythonMissing('json');
    if (missing) {
      fixReport.recordNotRun(RULE, label, missing);
      this.skip();
    }
    const fixed = await applyRuleFix(RULE, 'importer/dedupe.py', fixture('test/systems/apps/load/dedupe.py'));
    logFix(fixed);
    try {
      const input = JSON.stringify(rows().map((r) => r.email));
      const run = (source: string) => {
        const t0 = performance.now();
        const p = spawnSync(PYTHON, ['-c', source], { input, encoding: 'utf8' });
        if (p.status !== 0) throw new Error(p.stderr);
        return { value: JSON.parse(p.stdout) as string[], ms: Math.round(performance.now() - t0) };
      };
      const main = '\nif True:\n    import json, sys\n    print(json.dumps(find_duplicates(json.load(sys.stdin))))\n';
      const strip = (s: string) => s.replace(/\nif __name__ == "__main__":[\s\S]*$/, '\n') + main;
      const before = run(strip(fixed.before));
      const after = run(strip(fixed.after));
      const checks = new Checks();
      checks.same(after.value, before.value, 'find_duplicates differs');
      fixReport.record({
        rule: RULE,
        dialectOrFramework: label,
        beforeFix: `slow: ${N} e-mails, ${before.value.length} duplicates in ${before.ms} ms (process included)`,
        afterFix: checks.ok ? `passes: the same ${after.value.length} duplicates in the same order in ${after.ms} ms` : `FAILS: ${checks.failures.join('; ')}`,
      });
      checks.assertAll('quadratic-loop Python');
    } finally {
      fixed.cleanup();
    }
  });
});
