// The ecosystem check's own parts: the committed triage file is well formed, fingerprints survive
// line shifts, and precision and lost true positives are computed as documented.
import * as assert from 'assert';
import { RULE_IDS } from '../server/src/engine';
import { loadTriage } from '../scripts/ecosystem';
import { compare, precisionOf } from '../scripts/ecosystem/compare';
import type { EcoFinding } from '../scripts/ecosystem/scan';
import { fingerprint, validateTriage, type TriageEntry } from '../scripts/ecosystem/triage';

const entry = (over: Partial<TriageEntry> = {}): TriageEntry => ({
  repo: 'o/r', path: 'a.js', rule: 'sql-injection', fingerprint: 'f1', line: 3, verdict: 'tp', why: 'reads every row', ...over,
});
const finding = (over: Partial<EcoFinding> = {}): EcoFinding => ({
  repo: 'o/r', path: 'a.js', file: 'a.js', rule: 'sql-injection', fingerprint: 'f1', line: 9, endLine: 9, column: 1, endColumn: 4,
  severity: 'error', message: 'm', ...over,
});

describe('ecosystem check', () => {
  it('ecosystem/triage.json is well formed', () => {
    assert.ok(loadTriage().length > 0);
  });

  it('rejects malformed triage entries with a reason each', () => {
    const problems = validateTriage({ version: 1, entries: [entry({ verdict: 'maybe' as never }), entry({ rule: 'no-such-rule', fingerprint: 'f2' }), entry({ fingerprint: 'f3' })] }, RULE_IDS);
    assert.deepStrictEqual(problems.map((p) => p.split(':')[0]), ['entries[0].verdict', 'entries[1].rule']);
    assert.match(validateTriage({ version: 1, entries: [entry(), entry()] }, RULE_IDS)[0], /duplicate fingerprint/);
    assert.deepStrictEqual(validateTriage([], RULE_IDS), ['expected { "version": 1, "entries": [...] }']);
  });

  it('fingerprints ignore whitespace and line numbers but not the code or its occurrence', () => {
    const a = fingerprint('sql-injection', 'src/db.js', 'db.query(`SELECT ${x}`)', 0);
    assert.strictEqual(fingerprint('sql-injection', 'src/db.js', 'db.query(\n  `SELECT ${x}`)', 0), a);
    assert.notStrictEqual(fingerprint('sql-injection', 'src/db.js', 'db.query(`SELECT ${y}`)', 0), a);
    assert.notStrictEqual(fingerprint('sql-injection', 'src/db.js', 'db.query(`SELECT ${x}`)', 1), a);
  });

  it('counts a debatable finding as half right', () => {
    assert.strictEqual(precisionOf(8, 1, 2), 0.8181818181818182);
    assert.strictEqual(precisionOf(0, 0, 0), null);
  });

  it('reports untriaged findings and lost true positives, and keeps info findings out of precision', () => {
    const triage = [entry(), entry({ fingerprint: 'f2', verdict: 'fp' }), entry({ fingerprint: 'f3' }), entry({ repo: 'x/y', fingerprint: 'f9' })];
    const cmp = compare([finding(), finding({ fingerprint: 'f2' }), finding({ fingerprint: 'new' }), finding({ fingerprint: 'i', severity: 'info' })], triage, new Set(['o/r']));
    assert.deepStrictEqual(cmp.untriaged.map((f) => f.fingerprint), ['new']);
    assert.deepStrictEqual(cmp.lostTruePositives.map((e) => e.fingerprint), ['f3']);
    assert.deepStrictEqual({ tp: cmp.overall.tp, fp: cmp.overall.fp, untriaged: cmp.overall.untriaged, info: cmp.overall.info }, { tp: 1, fp: 1, untriaged: 1, info: 1 });
    assert.strictEqual(cmp.overall.precision, 0.5);
  });
});
