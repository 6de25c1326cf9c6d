// SARIF for GitHub code scanning: what GitHub reads (partialFingerprints, automationDetails,
// security-severity and tags, help.markdown, regions, fixes) on the sample app, checked against
// the 2.1.0 schema and GitHub's upload limits; and a scan too large for one upload cut down to
// fit, with a notice, instead of an upload GitHub rejects.
import * as assert from 'assert';
import { gzipSync } from 'zlib';
import { allRules } from '../rules/index';
import { DEFAULT_CONFIG } from '../server/src/config';
import { FINGERPRINT_KEY, formatSarif } from '../server/src/cli/formats/sarif';
import { fitGithubLimits, GITHUB_LIMITS, type Log } from '../server/src/cli/formats/sarifLimits';
import type { ReportFile } from '../server/src/cli/report';
import type { FileFinding } from '../server/src/cli/types';
import { project, removeProjects, requireBuild, vibeguard } from './harness/cli';
import { ROOT } from './harness/fixtures';
import { githubRejections, sarifSchemaErrors } from './harness/sarif';

interface Result {
  ruleId: string; level: string; ruleIndex: number;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  fixes?: { description: { text: string }; artifactChanges: { replacements: unknown[] }[] }[];
}

describe('SARIF for GitHub code scanning', function () {
  this.timeout(180_000);
  before(requireBuild);
  after(removeProjects);

  describe('the sample app', () => {
    let text: string;
    let log: { runs: { automationDetails: { id: string }; results: Result[]; tool: { driver: { rules: { id: string; help: { markdown: string }; properties: Record<string, unknown> }[] } } }[] };
    let json: { file: string; line: number; column: number; endColumn: number; rule: string; fingerprint: string; fix?: { title: string; safety: string } }[];
    before(() => {
      const sarif = vibeguard(ROOT, 'scan', 'sample-app', '--format', 'sarif');
      assert.strictEqual(sarif.code, 1, sarif.stderr);
      text = sarif.stdout;
      log = JSON.parse(text);
      json = JSON.parse(vibeguard(ROOT, 'scan', 'sample-app', '--format', 'json').stdout).findings;
    });

    it('passes the SARIF 2.1.0 schema and GitHub\'s upload limits', () => {
      assert.strictEqual(sarifSchemaErrors(log), '');
      assert.deepStrictEqual(githubRejections(text), []);
      assert.strictEqual(log.runs.length, 1);
      assert.strictEqual(log.runs[0].automationDetails.id, 'vibeguard/');
    });

    it('each result carries the finding\'s fingerprint, its region with columns, and its fix when the fix stays in the file', () => {
      const results = log.runs[0].results;
      assert.strictEqual(results.length, json.length);
      results.forEach((x, i) => {
        const f = json[i];
        const loc = x.locations[0].physicalLocation;
        assert.strictEqual(loc.artifactLocation.uri, f.file);
        assert.deepStrictEqual([x.ruleId, loc.region.startLine, loc.region.startColumn, loc.region.endColumn], [f.rule, f.line, f.column, f.endColumn]);
        assert.deepStrictEqual(x.partialFingerprints, { [FINGERPRINT_KEY]: f.fingerprint });
        if (x.fixes) {
          assert.ok(f.fix, `${f.file}:${f.line} has a fix`);
          assert.strictEqual(x.fixes[0].description.text, f.fix.safety === 'safe' ? f.fix.title : `${f.fix.title} (review: changes behaviour)`);
          assert.ok(x.fixes[0].artifactChanges[0].replacements.length > 0);
        }
      });
      const sql = results.filter((x) => x.ruleId === 'sql-injection');
      assert.ok(sql.filter((x) => x.fixes).length >= 2, 'the parameterize fixes travel with their results');
      assert.ok(results.some((x) => x.fixes && x.fixes[0].description.text.endsWith('(review: changes behaviour)')), 'unsafe single-file fixes too, marked as such');
      assert.ok(results.some((x) => x.ruleId === 'hardcoded-secret' && !x.fixes), 'a fix that writes .env is not a single-file change');
    });

    it('rules carry security-severity, the security and CWE tags, and help in Markdown from the rule docs', () => {
      for (const d of log.runs[0].tool.driver.rules) {
        const rule = allRules.find((r) => r.id === d.id)!;
        const tags = d.properties.tags as string[];
        if (rule.category === 'security') {
          assert.ok(tags.includes('security'), d.id);
          const sev = Number(d.properties['security-severity']);
          assert.ok(typeof d.properties['security-severity'] === 'string' && sev > 0 && sev <= 10, `${d.id}: ${d.properties['security-severity']}`);
        } else assert.strictEqual(d.properties['security-severity'], undefined, d.id);
        if (rule.cwe) assert.ok(tags.includes(`external/cwe/cwe-${rule.cwe}`), d.id);
        assert.ok(d.help.markdown.includes(rule.docs.summary) && d.help.markdown.includes('## Why'), d.id);
      }
    });
  });

  it('a 30,000-finding scan keeps GitHub\'s 25,000 results per run, most severe first, and says so', () => {
    // 150 files of 200 SQL injections each, through the CLI as CI runs it.
    const line = (i: number) => `app.get('/r${i}', (req, res) => pool.query(\`SELECT * FROM t${i} WHERE id = \${req.query.id}\`));`;
    const body = Array.from({ length: 200 }, (_, i) => line(i)).join('\n');
    const files: Record<string, string> = {};
    for (let f = 0; f < 150; f++) files[`src/m${f}.js`] = `const { Pool } = require('pg');\nconst pool = new Pool();\n${body}\n`;
    const dir = project(files);
    const r = vibeguard(dir, 'scan', '--format', 'sarif');
    assert.strictEqual(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.strictEqual(log.runs[0].results.length, 25_000);
    assert.match(r.stderr, /vibeguard: GitHub code scanning accepts at most 25000 results per run: kept the 25000 most severe of 30000; 5000 left out/);
    const notes = log.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    assert.ok(notes.some((t: string) => /at most 25000 results per run/.test(t)), JSON.stringify(notes));
    assert.strictEqual(sarifSchemaErrors(log), '');
    assert.deepStrictEqual(githubRejections(r.stdout), []);
    assert.strictEqual(JSON.parse(vibeguard(dir, 'scan', '--format', 'json').stdout).findings.length, 30_000, 'JSON keeps them all');
  });

  describe('fitting to the limits', () => {
    const finding = (i: number, severity: FileFinding['severity']): FileFinding => ({
      rule: 'sql-injection', line: i + 1, endLine: i + 1, column: 1, endColumn: 10, severity, message: `finding ${i}`, fingerprint: i.toString(16).padStart(32, '0'),
      fix: { title: 'Parameterize query', safety: 'safe' }, replacements: [{ line: i + 1, column: 1, endLine: i + 1, endColumn: 10, text: 'x'.repeat(200) }],
    });
    const report = (n: number): ReportFile[] => [{
      path: 'src/a.js', notices: [],
      // Severities interleaved, so that keeping the most severe means skipping over the others.
      findings: Array.from({ length: n }, (_, i) => finding(i, (['info', 'warning', 'error'] as const)[i % 3])),
    }];
    const levels = (log: Log) => log.runs[0].results.map((x) => x.level);

    it('keeps the most severe results in their original order', () => {
      const warned: string[] = [];
      const text = formatSarif(report(9), allRules, DEFAULT_CONFIG, ROOT, { warn: (m) => warned.push(m) });
      assert.deepStrictEqual(warned, [], 'nothing to cut');
      const log = JSON.parse(text) as Log;
      const limits = { ...GITHUB_LIMITS, resultsPerRun: 5 };
      const fitted = fitGithubLimits(log, (l) => JSON.stringify(l), limits);
      assert.deepStrictEqual(levels(JSON.parse(fitted.text)), ['warning', 'error', 'warning', 'error', 'error']);
      assert.match(fitted.notices[0], /at most 5 results per run: kept the 5 most severe of 9; 4 left out/);
    });

    it('over the gzip size limit: drops the fixes first, then the least severe results, until it fits', () => {
      const text = formatSarif(report(3000), allRules, DEFAULT_CONFIG, ROOT);
      const full = gzipSync(text).length;
      const log = JSON.parse(text) as Log;
      // A third of what the results take, on top of what the run costs without them (the rules'
      // help grows with the catalog, the results are what the limit is about).
      const empty = gzipSync(JSON.stringify({ ...log, runs: log.runs.map((r) => ({ ...r, results: [] })) }, null, 2)).length;
      const limit = empty + Math.floor((full - empty) / 3);
      const fitted = fitGithubLimits(log, (l) => JSON.stringify(l, null, 2), { ...GITHUB_LIMITS, gzipBytes: limit });
      assert.ok(gzipSync(fitted.text).length <= limit);
      const out = JSON.parse(fitted.text) as Log;
      assert.ok(out.runs[0].results.every((x) => !x.fixes), 'no fixes left');
      assert.ok(out.runs[0].results.length < 3000 && out.runs[0].results.length > 1000, `${out.runs[0].results.length} results`);
      const count = (level: string) => levels(out).filter((l) => l === level).length;
      if (count('note')) assert.deepStrictEqual([count('error'), count('warning')], [1000, 1000], 'notes go first');
      else assert.strictEqual(count('error'), 1000, 'then warnings, errors last');
      assert.strictEqual(fitted.notices.length, 2, fitted.notices.join('\n'));
      assert.match(fitted.notices[1], /kept the \d+ most severe of 3000 results/);
      const notes = (out.runs[0] as { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }).invocations[0].toolExecutionNotifications.map((n) => n.message.text);
      for (const n of fitted.notices) assert.ok(notes.includes(n), `the log itself says: ${n}`);
      assert.strictEqual(sarifSchemaErrors(out), '');
    });

    it('runs, tags per rule and locations per result are cut to GitHub\'s numbers', () => {
      const one = JSON.parse(formatSarif(report(2), allRules, DEFAULT_CONFIG, ROOT)) as Log & { runs: { tool: { driver: { rules: { properties: { tags: string[] } }[] } }; results: { locations: unknown[] }[] }[] };
      one.runs[0].tool.driver.rules[0].properties.tags = Array.from({ length: 30 }, (_, i) => `t${i}`);
      one.runs[0].results[0].locations = Array.from({ length: 1500 }, () => one.runs[0].results[0].locations[0]);
      one.runs = Array.from({ length: 25 }, () => structuredClone(one.runs[0]));
      const raw = JSON.stringify(one);
      assert.strictEqual(githubRejections(raw).length, 1 + 25 + 25, 'the checker sees every violation');
      const fitted = fitGithubLimits(one, (l) => JSON.stringify(l));
      assert.deepStrictEqual(githubRejections(fitted.text), []);
      assert.match(fitted.notices[0], /at most 20 runs per SARIF file: 5 runs left out/);
    });
  });

  it('the sample app SARIF stays far below the size limit', () => {
    const text = vibeguard(ROOT, 'scan', 'sample-app', '--format', 'sarif').stdout;
    const size = gzipSync(text).length;
    assert.ok(size < GITHUB_LIMITS.gzipBytes / 100, `${size} bytes gzip-compressed`);
  });
});
