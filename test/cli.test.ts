// The `vibeguard` command line, run as a user runs it (`node bin/vibeguard.js`) against temporary
// projects: formats, exit codes, configuration errors, file selection, --fix, notices, --jobs.
// Needs the bundles: run `npm run build` first (this suite builds nothing itself).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseGitignore, verdict } from '../server/src/cli/gitignore';
import { isSourceFile } from '../server/src/cli/walk';
import { ScanPool } from '../server/src/cli/pool';
import { codeCacheFile } from '../server/src/codeCache';
import type { ScanOptions } from '../server/src/cli/types';
import { DEFAULT_CONFIG } from '../server/src/config';
import { ruleDocUrl } from '../server/src/docsUrl';
import { languageOf, RULE_IDS } from '../server/src/engine';
import { ROOT } from './harness/fixtures';
import { findings, project, removeProjects, requireBuild, SQL_LINE, vibeguard, VULNERABLE, type Run } from './harness/cli';
import { sarifSchemaErrors } from './harness/sarif';

const CLEAN = "export function add(a: number, b: number): number {\n  return a + b;\n}\n";

describe('vibeguard CLI', function () {
  this.timeout(120_000);

  before(requireBuild);
  after(removeProjects);

  describe('output formats', () => {
    it('text: grouped by file, one line per finding with its fix, then a summary', () => {
      const dir = project({ 'src/routes/users.js': VULNERABLE, 'src/math.ts': CLEAN });
      const r = vibeguard(dir, 'scan');
      assert.strictEqual(r.code, 1, r.stderr);
      const lines = r.stdout.split('\n');
      const at = lines.indexOf('src/routes/users.js');
      assert.ok(at >= 0, r.stdout);
      const column = SQL_LINE.indexOf('`') + 1;
      assert.match(lines[at + 1], new RegExp(`^  4:${column}\\s+error\\s+SQL passed to pool\\.query .*\\S  sql-injection  \\(fix: Parameterize query\\)$`));
      assert.ok(!r.stdout.includes('src/math.ts'), 'files without findings are not listed');
      assert.match(r.stdout, /\n1 problem \(1 error, 0 warnings, 0 info\), 1 fixable\n$/);
      assert.ok(!r.stdout.includes('\u001b['), 'no colours when stdout is not a terminal');
    });

    it('json: exactly the documented shape, 1-based positions, paths relative with forward slashes', () => {
      const dir = project({ 'src/routes/users.js': VULNERABLE, 'src/math.ts': CLEAN });
      const r = vibeguard(dir, 'scan', '--format', 'json');
      assert.strictEqual(r.code, 1, r.stderr);
      const parsed = JSON.parse(r.stdout);
      assert.deepStrictEqual(Object.keys(parsed), ['findings']);
      assert.strictEqual(parsed.findings.length, 1);
      const f = parsed.findings[0];
      assert.deepStrictEqual(Object.keys(f), ['file', 'rule', 'line', 'endLine', 'column', 'endColumn', 'severity', 'message', 'fingerprint', 'fix']);
      assert.deepStrictEqual(Object.keys(f.fix), ['title', 'safety']);
      const start = SQL_LINE.indexOf('`');
      const end = SQL_LINE.lastIndexOf('`') + 1;
      assert.deepStrictEqual(
        { ...f, message: undefined, fingerprint: undefined },
        { file: 'src/routes/users.js', rule: 'sql-injection', line: 4, endLine: 4, column: start + 1, endColumn: end + 1, severity: 'error', message: undefined, fingerprint: undefined, fix: { title: 'Parameterize query', safety: 'safe' } },
      );
      assert.match(f.fingerprint, /^[0-9a-f]{32}$/);
      assert.match(f.message, /req\.query\.email|email/);
    });

    it('json: paths outside the current folder are relative too; nothing but JSON on stdout', () => {
      const dir = project({ 'app/users.js': VULNERABLE, 'app/broken.js': 'function (\n', 'work/.keep': '' });
      const r = vibeguard(path.join(dir, 'work'), 'scan', '../app', '--format', 'json');
      assert.strictEqual(r.code, 1, r.stderr);
      assert.deepStrictEqual(findings(r).map((f) => f.file), ['../app/users.js']);
      assert.match(r.stderr, /^\.\.\/app\/broken\.js: syntax error at 1:/m);
    });

    it('json: a finding without a fix has no fix key', () => {
      const dir = project({ 'q.js': "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/r', (req, res) => pool.query(`SELECT * FROM t ORDER BY ${req.query.col}`));\n" });
      const r = vibeguard(dir, 'scan', '--format', 'json');
      const f = findings(r);
      assert.strictEqual(f.length, 1, r.stdout);
      assert.ok(!('fix' in f[0]), JSON.stringify(f[0]));
    });

    it('sarif: valid against the SARIF 2.1.0 schema, with rule metadata, regions and a safe fix', () => {
      const dir = project({ 'src/users.js': VULNERABLE, 'src/bad.js': 'let x = ;\n' });
      const r = vibeguard(dir, 'scan', '--format', 'sarif');
      assert.strictEqual(r.code, 1, r.stderr);
      const log = JSON.parse(r.stdout);
      assert.strictEqual(sarifSchemaErrors(log), '');

      const run = log.runs[0];
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.strictEqual(run.tool.driver.version, pkg.version);
      assert.ok(run.tool.driver.informationUri);
      assert.deepStrictEqual(run.tool.driver.rules.map((d: { id: string }) => d.id).sort(), [...RULE_IDS].sort());
      for (const d of run.tool.driver.rules) {
        assert.strictEqual(d.helpUri, ruleDocUrl(d.id));
        assert.ok(d.shortDescription.text && d.fullDescription.text && d.help.text && d.help.markdown, d.id);
        assert.ok(['error', 'warning', 'note'].includes(d.defaultConfiguration.level), d.id);
        assert.ok(d.properties.category, d.id);
      }
      const sql = run.tool.driver.rules.find((d: { id: string }) => d.id === 'sql-injection');
      assert.ok(sql.properties.tags.includes('external/cwe/cwe-89'), JSON.stringify(sql.properties));

      assert.strictEqual(run.results.length, 1);
      const res = run.results[0];
      assert.strictEqual(res.ruleId, 'sql-injection');
      assert.strictEqual(run.tool.driver.rules[res.ruleIndex].id, 'sql-injection');
      assert.strictEqual(res.level, 'error');
      const loc = res.locations[0].physicalLocation;
      assert.deepStrictEqual(loc.artifactLocation, { uri: 'src/users.js', uriBaseId: '%SRCROOT%' });
      assert.deepStrictEqual(loc.region, { startLine: 4, startColumn: SQL_LINE.indexOf('`') + 1, endLine: 4, endColumn: SQL_LINE.lastIndexOf('`') + 2 });
      assert.strictEqual(res.fixes[0].description.text, 'Parameterize query');
      assert.ok(res.fixes[0].artifactChanges[0].replacements.length > 0);
      // Notices travel as tool notifications, not on stderr only.
      const notes = run.invocations[0].toolExecutionNotifications;
      assert.ok(notes.some((n: { message: { text: string } }) => /syntax error/.test(n.message.text)), JSON.stringify(notes));
    });

    it('sarif: the fix replacements, applied to the file, give the --fix result', () => {
      const dir = project({ 'users.js': VULNERABLE });
      const log = JSON.parse(vibeguard(dir, 'scan', '--format', 'sarif').stdout) as { runs: { results: { fixes: { artifactChanges: { replacements: unknown[] }[] }[] }[] }[] };
      const reps = log.runs[0].results[0].fixes[0].artifactChanges[0].replacements as { deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number }; insertedContent: { text: string } }[];
      const lines = VULNERABLE.split('\n');
      const offset = (line: number, col: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
      let text = VULNERABLE;
      for (const rep of [...reps].sort((a, b) => offset(b.deletedRegion.startLine, b.deletedRegion.startColumn) - offset(a.deletedRegion.startLine, a.deletedRegion.startColumn))) {
        const s = offset(rep.deletedRegion.startLine, rep.deletedRegion.startColumn);
        const e = offset(rep.deletedRegion.endLine, rep.deletedRegion.endColumn);
        text = text.slice(0, s) + rep.insertedContent.text + text.slice(e);
      }
      assert.strictEqual(vibeguard(dir, 'scan', '--fix').code, 0);
      assert.strictEqual(text, fs.readFileSync(path.join(dir, 'users.js'), 'utf8'));
    });
  });

  describe('exit codes', () => {
    it('0 when nothing is found, 1 for an error finding', () => {
      assert.strictEqual(vibeguard(project({ 'a.ts': CLEAN }), 'scan').code, 0);
      assert.strictEqual(vibeguard(project({ 'a.js': VULNERABLE }), 'scan').code, 1);
    });

    it('--fail-on decides which severities fail; lower ones still print', () => {
      const dir = project({ 'a.js': VULNERABLE, '.vibeguard.json': JSON.stringify({ rules: { 'sql-injection': 'warning' } }) });
      const def = vibeguard(dir, 'scan');
      assert.strictEqual(def.code, 0);
      assert.match(def.stdout, /4:\d+\s+warning\s+SQL passed/);
      assert.match(def.stdout, /1 problem \(0 errors, 1 warning, 0 info\)/);
      assert.strictEqual(vibeguard(dir, 'scan', '--fail-on', 'warning').code, 1);
      assert.strictEqual(vibeguard(dir, 'scan', '--fail-on=info').code, 1);
      assert.strictEqual(vibeguard(dir, 'scan', '--fail-on', 'error').code, 0);
      fs.writeFileSync(path.join(dir, '.vibeguard.json'), JSON.stringify({ rules: { 'sql-injection': 'info' } }));
      assert.strictEqual(vibeguard(dir, 'scan', '--fail-on', 'warning').code, 0);
      assert.strictEqual(vibeguard(dir, 'scan', '--fail-on', 'info').code, 1);
      assert.strictEqual(vibeguard(project({ 'a.js': VULNERABLE }), 'scan', '--fail-on', 'off').code, 0);
    });

    it('info findings are left out unless asked for, or unless they fail the run', () => {
      const dir = project({ 'a.js': VULNERABLE, '.vibeguard.json': JSON.stringify({ rules: { 'sql-injection': 'info' } }) });
      for (const format of ['text', 'json']) {
        const def = vibeguard(dir, 'scan', '--format', format);
        assert.doesNotMatch(def.stdout, /SQL passed/, format);
        assert.match(def.stderr, /1 finding below warning not shown \(--min-severity info shows them\)/, format);
      }
      assert.match(vibeguard(dir, 'scan', '--min-severity', 'info').stdout, /4:\d+\s+info\s+SQL passed/);
      const failing = vibeguard(dir, 'scan', '--fail-on', 'info');
      assert.strictEqual(failing.code, 1);
      assert.match(failing.stdout, /4:\d+\s+info\s+SQL passed/);
      assert.strictEqual(vibeguard(dir, 'scan', '--min-severity', 'debug').code, 2);
    });

    it('2 for usage errors', () => {
      const dir = project({ 'a.ts': CLEAN });
      for (const args of [['scan', '--bogus'], ['scan', '--format', 'xml'], ['scan', '--fail-on', 'fatal'], ['scan', '--jobs', '0'], ['frobnicate'], [], ['scan', 'missing-folder']]) {
        const r = vibeguard(dir, ...args);
        assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.strictEqual(r.stdout, '', args.join(' '));
        assert.match(r.stderr, /^vibeguard: /, args.join(' '));
      }
    });

    it('2 when an explicitly given --config file does not exist', () => {
      const r = vibeguard(project({ 'a.ts': CLEAN }), 'scan', '--config', 'nope.json');
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /nope\.json/);
    });
  });

  describe('configuration errors', () => {
    it('invalid JSON: exit 2, the message names the file', () => {
      const r = vibeguard(project({ 'a.js': VULNERABLE, '.vibeguard.json': '{ "rules": { ' }), 'scan');
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, /\.vibeguard\.json: \(syntax\): invalid JSON/);
    });

    it('unknown rule id and unknown key: exit 2, each message names the file and the key', () => {
      const dir = project({ 'a.js': VULNERABLE, 'conf/vg.json': JSON.stringify({ rules: { 'sql-injectoin': 'error' }, colour: true }) });
      const r = vibeguard(dir, 'scan', '--config', 'conf/vg.json');
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, /conf\/vg\.json: rules\.sql-injectoin: unknown rule id "sql-injectoin" \(did you mean "sql-injection"\?\)/);
      assert.match(r.stderr, /conf\/vg\.json: colour: unknown key/);
    });
  });

  describe('which files are scanned', () => {
    const ignoreProject = () => project({
      '.gitignore': '# build output\ngenerated/\n*.gen.js\n!keep.gen.js\n/top-only.js\nlib/**/cache/\n',
      'src/app.js': VULNERABLE,
      'src/keep.gen.js': VULNERABLE,
      'src/skip.gen.js': VULNERABLE,
      'src/top-only.js': VULNERABLE,
      'top-only.js': VULNERABLE,
      'generated/out.js': VULNERABLE,
      'lib/a/b/cache/c.js': VULNERABLE,
      'lib/a/b/c.js': VULNERABLE,
      'pkg/.gitignore': 'local.js\n',
      'pkg/local.js': VULNERABLE,
      'pkg/kept.js': VULNERABLE,
      'other/local.js': VULNERABLE,
      'node_modules/dep/index.js': VULNERABLE,
      '.venv/pyvenv.cfg': 'home = /usr/bin\n',
      '.venv/lib/site.py': 'import os\nos.system(input())\n',
      'env2/pyvenv.cfg': 'home = /usr/bin\n',
      'env2/lib/app.js': VULNERABLE,
      'notes.txt': 'not code',
    });

    it('honours .gitignore files (nested, negation, dir-only, anchored, **), skips node_modules and virtualenvs', () => {
      const r = vibeguard(ignoreProject(), 'scan', '--format', 'json');
      assert.deepStrictEqual([...new Set(findings(r).map((f) => f.file))], [
        'lib/a/b/c.js', 'other/local.js', 'pkg/kept.js', 'src/app.js', 'src/keep.gen.js', 'src/top-only.js',
      ]);
      assert.strictEqual(r.stderr, '', 'unsupported files met while walking are skipped silently');
    });

    it('analyses files named on the command line even inside ignored folders', () => {
      const dir = ignoreProject();
      const r = vibeguard(dir, 'scan', 'generated/out.js', 'node_modules/dep/index.js', 'src/skip.gen.js', '--format', 'json');
      assert.deepStrictEqual(findings(r).map((f) => f.file), ['generated/out.js', 'node_modules/dep/index.js', 'src/skip.gen.js']);
    });

    it('applies .gitignore files above a scanned subfolder', () => {
      const dir = ignoreProject();
      fs.mkdirSync(path.join(dir, '.git'));
      const r = vibeguard(path.join(dir, 'src'), 'scan', '.', '--format', 'json');
      assert.deepStrictEqual([...new Set(findings(r).map((f) => f.file))], ['app.js', 'keep.gen.js', 'top-only.js']);
    });

    it('honours the configuration\'s ignore globs', () => {
      const dir = project({
        '.vibeguard.json': JSON.stringify({ ignore: ['legacy/**', '**/*.spec.js', 'fixtures'] }),
        'src/app.js': VULNERABLE,
        'src/app.spec.js': VULNERABLE,
        'legacy/old.js': VULNERABLE,
        'test/fixtures/x.js': VULNERABLE,
      });
      const r = vibeguard(dir, 'scan', '--format', 'json');
      assert.deepStrictEqual(findings(r).map((f) => f.file), ['src/app.js']);
      const explicit = vibeguard(dir, 'scan', 'legacy/old.js', '--format', 'json');
      assert.deepStrictEqual(findings(explicit).map((f) => f.file), ['legacy/old.js']);
    });

    it('finds the configuration above the scanned folder', () => {
      const dir = project({ '.vibeguard.json': JSON.stringify({ rules: { 'sql-injection': 'off' } }), 'sub/a.js': VULNERABLE });
      assert.strictEqual(vibeguard(path.join(dir, 'sub'), 'scan').code, 0);
    });
  });

  describe('--fix', () => {
    it('applies safe fixes in place, reports the count, and a re-scan finds nothing', () => {
      const dir = project({ 'src/users.js': VULNERABLE, 'package.json': '{"dependencies":{"pg":"8.0.0"}}' });
      const r = vibeguard(dir, 'scan', '--fix');
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^src\/users\.js: 1 fix applied$/m);
      assert.match(r.stdout, /0 problems/);
      const fixed = fs.readFileSync(path.join(dir, 'src/users.js'), 'utf8');
      assert.ok(fixed.includes('pool.query(`SELECT * FROM users WHERE email = $1`, [req.query.email])'), fixed);
      const again = vibeguard(dir, 'scan', '--format', 'json');
      assert.strictEqual(again.code, 0);
      assert.deepStrictEqual(findings(again), []);
    });

    it('keeps stdout pure JSON and reports the fixes on stderr', () => {
      const dir = project({ 'users.js': VULNERABLE });
      const r = vibeguard(dir, 'scan', '--fix', '--format', 'json');
      assert.deepStrictEqual(findings(r), []);
      assert.match(r.stderr, /users\.js: 1 fix applied/);
    });

    it('leaves unsafe fixes alone unless allowed', function () {
      if (!RULE_IDS.has('hardcoded-secret')) return this.skip();
      const src = "const jwt = require('jsonwebtoken');\nexport const sign = (user) => jwt.sign({ id: user.id }, 'n8v2Qx7LmP4sZr9T', { expiresIn: '1h' });\n";
      const dir = project({ 'auth.js': src });
      const r = vibeguard(dir, 'scan', '--fix', '--format', 'json');
      assert.deepStrictEqual(findings(r).map((f) => [f.rule, f.fix?.safety]), [['hardcoded-secret', 'unsafe']]);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'auth.js'), 'utf8'), src);
      const u = vibeguard(dir, 'scan', '--fix', '--unsafe-fixes', '--format', 'json');
      assert.deepStrictEqual(findings(u), []);
      assert.ok(!fs.readFileSync(path.join(dir, 'auth.js'), 'utf8').includes('n8v2Qx7LmP4sZr9T'));
      assert.ok(fs.readFileSync(path.join(dir, '.env'), 'utf8').includes('n8v2Qx7LmP4sZr9T'), 'the secret moves to the workspace .env');
    });
  });

  describe('notices', () => {
    it('binary, syntax-error, oversized and unsupported files give notices on stderr and never stop the scan', () => {
      const dir = project({
        '.vibeguard.json': JSON.stringify({ maxFileSizeKb: 1 }),
        'bin.js': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x00, 0x01, 0x02]),
        'broken.ts': 'export function f( {\n',
        'big.js': `// ${'x'.repeat(3000)}\n`,
        'users.js': VULNERABLE,
        'readme.md': '# hi',
      });
      const r = vibeguard(dir, 'scan', '.', 'readme.md', '--format', 'json');
      assert.strictEqual(r.code, 1, r.stderr);
      assert.deepStrictEqual(findings(r).map((f) => f.file), ['users.js']);
      assert.match(r.stderr, /^bin\.js: .*binary/m);
      assert.match(r.stderr, /^broken\.ts: syntax error at \d+:\d+/m);
      assert.match(r.stderr, /^big\.js: .*above the 1 KB analysis limit/m);
      assert.match(r.stderr, /^readme\.md: not a JavaScript, TypeScript or Python file/m);
      // Binary content that does not parse went unanalysed: the gate fails closed unless told otherwise.
      const unread = vibeguard(dir, 'scan', 'bin.js', 'broken.ts');
      assert.strictEqual(unread.code, 3, unread.stderr);
      assert.match(unread.stderr, /1 file could not be analysed/);
      const allowed = vibeguard(dir, 'scan', 'bin.js', 'broken.ts', '--allow-unanalysed');
      assert.strictEqual(allowed.code, 0, allowed.stderr);
    });

    it('never prints a hard-coded secret in full', function () {
      if (!RULE_IDS.has('hardcoded-secret')) return this.skip();
      // Assembled at run time so that the repository holds no key-shaped literal.
      const secret = ['sk', 'live', '51HxQ2eLkR7vT9wZ3mN8pA4bC6dE'].join('_');
      const dir = project({ 'pay.js': `const Stripe = require('stripe');\nconst stripe = new Stripe('${secret}');\n` });
      for (const format of ['text', 'json', 'sarif']) {
        const r = vibeguard(dir, 'scan', '--format', format);
        assert.strictEqual(r.code, 1, `${format}: ${r.stderr}`);
        assert.ok(!(r.stdout + r.stderr).includes(secret), `${format} output leaks the secret`);
      }
    });
  });

  describe('--jobs', () => {
    it('gives the same output with 1 and 2 jobs', () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 40; i++) files[`m${i % 4}/f${i}.${i % 3 ? 'js' : 'ts'}`] = i % 2 ? VULNERABLE : CLEAN;
      files['m1/broken.js'] = 'if (\n';
      const dir = project(files);
      const one = vibeguard(dir, 'scan', '--jobs', '1', '--format', 'json');
      const two = vibeguard(dir, 'scan', '--jobs', '2', '--format', 'json');
      assert.strictEqual(one.code, 1);
      assert.strictEqual(findings(one).length, 20);
      assert.strictEqual(two.stdout, one.stdout);
      assert.strictEqual(two.stderr, one.stderr);
      assert.strictEqual(two.code, one.code);
      const text1 = vibeguard(dir, 'scan', '-j', '1');
      const text2 = vibeguard(dir, 'scan', '-j', '2');
      assert.strictEqual(text2.stdout, text1.stdout);
    });
  });

  describe('--stats', () => {
    it('adds throughput and time per phase and per rule on stderr, summed across jobs, and changes nothing else', () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 40; i++) files[`src/routes/f${i}.js`] = i % 2 ? VULNERABLE : CLEAN.replace('add', `add${i}`);
      const dir = project(files);
      const plain = vibeguard(dir, 'scan', '--jobs', '2', '--format', 'json');
      const r = vibeguard(dir, 'scan', '--jobs', '2', '--format', 'json', '--stats');
      assert.strictEqual(r.code, plain.code);
      assert.strictEqual(r.stdout, plain.stdout);
      assert.match(r.stderr, /^vibeguard: 40 files, \d+ lines in [\d.]+ s \(\d+ lines\/s, 2 jobs\)$/m);
      assert.match(r.stderr, /^vibeguard: analysis time over 40 analysed files \(summed across jobs\): [\d.]+ ms$/m);
      assert.match(r.stderr, /^ {2}parse \+ IR \+ model +[\d.]+ ms +[\d.]+%$/m);
      const ruleRows = r.stderr.split('\n').filter((l) => /^ {4}[a-z-]+ /.test(l)).map((l) => l.trim().split(/\s+/)[0]);
      // Every rule that ran, once: sql-injection and hardcoded-secret run on every JS file; rules
      // with a text trigger (webhooks) run only where it matches.
      assert.strictEqual(new Set(ruleRows).size, ruleRows.length, r.stderr);
      for (const id of ['sql-injection', 'hardcoded-secret']) assert.ok(ruleRows.includes(id), r.stderr);
      for (const id of ruleRows) assert.ok(RULE_IDS.has(id), `${id} is not a rule`);
      // Each rule names the file it was slowest on.
      for (const l of r.stderr.split('\n').filter((x) => /^ {4}[a-z-]+ /.test(x))) assert.match(l, /src\/routes\/f\d+\.js \([\d.]+ ms\)$/);
    });
  });

  describe('help, version, rules', () => {
    it('--help prints the usage, --version the package version', () => {
      const dir = project({});
      const h = vibeguard(dir, '--help');
      assert.strictEqual(h.code, 0);
      assert.match(h.stdout, /^Usage: vibeguard <command>/);
      assert.match(h.stdout, /--fail-on/);
      assert.strictEqual(vibeguard(dir, 'scan', '--help').stdout, h.stdout);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.strictEqual(vibeguard(dir, '--version').stdout, `${pkg.version}\n`);
    });

    it('rules lists every rule with severity, languages and fix', () => {
      const r = vibeguard(project({}), 'rules');
      assert.strictEqual(r.code, 0);
      for (const id of RULE_IDS) assert.match(r.stdout, new RegExp(`^${id}\\s+(error|warning|info)\\s+`, 'm'));
      assert.match(r.stdout, /^sql-injection .*Parameterize query \(safe\)$/m);
      const j = JSON.parse(vibeguard(project({}), 'rules', '--format', 'json').stdout);
      assert.deepStrictEqual(j.rules.map((x: { id: string }) => x.id).sort(), [...RULE_IDS].sort());
    });
  });
});

describe('.gitignore matcher', () => {
  const ignored = (patterns: string, rel: string, isDir = false) => verdict(parseGitignore(patterns), rel, isDir) === true;

  it('matches unanchored names at any depth and anchored paths from the file\'s folder', () => {
    assert.ok(ignored('*.log', 'a/b/c.log'));
    assert.ok(ignored('build', 'x/build', true));
    assert.ok(ignored('/build', 'build', true));
    assert.ok(!ignored('/build', 'x/build', true));
    assert.ok(ignored('doc/frotz', 'doc/frotz', true));
    assert.ok(!ignored('doc/frotz', 'a/doc/frotz', true));
  });

  it('dir-only patterns skip files of the same name', () => {
    assert.ok(ignored('out/', 'out', true));
    assert.ok(!ignored('out/', 'out', false));
    assert.ok(ignored('a/out/', 'a/out', true));
  });

  it('** spans folders; other stars stay within a segment', () => {
    assert.ok(ignored('**/foo', 'foo'));
    assert.ok(ignored('**/foo', 'a/b/foo'));
    assert.ok(ignored('a/**/b', 'a/b'));
    assert.ok(ignored('a/**/b', 'a/x/y/b'));
    assert.ok(ignored('abc/**', 'abc/x/y'));
    assert.ok(!ignored('abc/**', 'abc', true));
    assert.ok(!ignored('a/*.js', 'a/b/c.js'));
    assert.ok(ignored('a/*.js', 'a/c.js'));
  });

  it('the last matching pattern wins, so ! re-includes', () => {
    assert.ok(!ignored('*.js\n!keep.js', 'keep.js'));
    assert.ok(ignored('*.js\n!keep.js\nkeep.js', 'keep.js'));
    assert.strictEqual(verdict(parseGitignore('*.ts'), 'a.js', false), undefined);
  });

  it('handles comments, escapes, trailing spaces and character classes', () => {
    assert.deepStrictEqual(parseGitignore('# comment\n\n   \n'), []);
    assert.ok(ignored('\\#file', '#file'));
    assert.ok(ignored('\\!important', '!important'));
    assert.ok(ignored('name   ', 'name'));
    assert.ok(ignored('name\\ ', 'name '));
    assert.ok(ignored('file[0-9].js', 'file7.js'));
    assert.ok(!ignored('file[!0-9].js', 'file7.js'));
    assert.ok(ignored('file[!0-9].js', 'filex.js'));
    assert.ok(ignored('a?c', 'abc'));
    assert.ok(!ignored('a?c', 'a/c'));
    assert.ok(ignored('*.js\r\n', 'x.js'));
  });
});

describe('file selection helpers', () => {
  it('the walk takes exactly the files the engine analyses', () => {
    const analysed = ['a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'a.ts', 'a.tsx', 'a.mts', 'a.cts', 'A.TS', 'a.py', 'a.pyi', 'types.d.tsx'];
    const skipped = ['a.d.ts', 'a.d.mts', 'a.d.cts', 'a.json', 'a.md', 'a.pyc', 'a.tsbuildinfo', 'a.js.map', 'Makefile', '.env', 'a.vue', 'a.d.ts.map'];
    for (const n of analysed) assert.ok(isSourceFile(n) && languageOf(n) !== undefined, n);
    for (const n of skipped) assert.ok(!isSourceFile(n) && languageOf(n) === undefined, n);
  });
});

describe('scan worker pool', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  /** A stand-in worker bundle: answers each file with its name length as the line count. */
  function fakeWorker(extra = ''): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-pool-'));
    dirs.push(dir);
    const file = path.join(dir, 'worker.js');
    fs.writeFileSync(file, `const { parentPort, workerData } = require('worker_threads');
const fs = require('fs');
${extra}
parentPort.on('message', (m) => {
  if (m.type === 'scan') parentPort.postMessage({ type: 'results', batch: m.batch, results: m.files.map((f) => ({ file: f, findings: [], notices: [], lines: f.length })) });
  if (m.type === 'fix') parentPort.postMessage({ type: 'fixed', outcome: { file: m.file, applied: 1, findings: [], notices: [] } });
});
parentPort.postMessage({ type: 'ready' });
`);
    return file;
  }
  const options: ScanOptions = { config: DEFAULT_CONFIG, workspaceRoot: os.tmpdir(), fixEdits: false };
  const files = Array.from({ length: 101 }, (_, i) => `/x/${'f'.repeat(i % 7)}${i}.ts`);

  async function scanWith(script: string, jobs: number) {
    const pool = new ScanPool(jobs, options, script);
    try { return await pool.scan(files); } finally { await pool.close(); }
  }

  it('returns results in file order whatever the number of workers', async () => {
    const script = fakeWorker();
    const want = files.map((f) => f.length);
    for (const jobs of [1, 2, 3]) assert.deepStrictEqual((await scanWith(script, jobs)).map((r) => r.lines), want, `jobs ${jobs}`);
  });

  it('cuts batches as workers ask, smaller towards the end, so no worker is left with a long tail', async () => {
    // Each result carries the size of the batch it came in.
    const script = fakeWorker();
    fs.writeFileSync(script, fs.readFileSync(script, 'utf8').replace('lines: f.length', 'lines: m.files.length'));
    const sizes: number[] = [];
    const results = await scanWith(script, 1);
    for (let i = 0; i < results.length; i += results[i].lines) sizes.push(results[i].lines);
    assert.strictEqual(sizes.reduce((a, b) => a + b, 0), files.length);
    assert.ok(sizes.every((n, i) => n <= 32 && (i === 0 || n <= sizes[i - 1])), `batch sizes ${sizes}`);
    assert.strictEqual(sizes[sizes.length - 1], 1, `batch sizes ${sizes}`);
    const many = Array.from({ length: 2000 }, (_, i) => `/y/${i}.ts`);
    const pool = new ScanPool(2, options, script);
    try {
      const big = await pool.scan(many);
      assert.ok(big.every((r) => r.lines <= 32) && big.some((r) => r.lines === 32), 'at most 32 files a message');
    } finally { await pool.close(); }
  });

  it('saves a code cache after a run and loads the worker from it the next time', async function () {
    const script = fakeWorker();
    const cache = codeCacheFile(script);
    if (!cache) return this.skip();
    await scanWith(script, 2);
    assert.ok(fs.existsSync(cache), 'the code cache is written next to the worker script');
    assert.strictEqual((await scanWith(script, 2)).length, files.length);
  });

  it('keeps the code caches of different V8 flags apart: saving one leaves the others', async function () {
    const script = fakeWorker();
    const cache = codeCacheFile(script);
    const other = codeCacheFile(script, 'ib400000');
    if (!cache || !other) return this.skip();
    assert.notStrictEqual(path.dirname(other), path.dirname(cache));
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, 'made under other flags');
    await scanWith(script, 2);
    assert.ok(fs.existsSync(cache), 'a fresh cache is saved for the flags in force');
    assert.strictEqual(fs.readFileSync(other, 'utf8'), 'made under other flags');
  });

  it('keeps no code cache for a worker that uses dynamic import()', async function () {
    const script = fakeWorker("import('path').then(() => undefined);");
    const cache = codeCacheFile(script);
    if (!cache) return this.skip();
    assert.strictEqual((await scanWith(script, 1)).length, files.length);
    assert.ok(!fs.existsSync(cache));
  });

  it('restarts a worker without the cache when it fails to start from it', async function () {
    const script = fakeWorker("if (workerData.cacheFile && fs.existsSync(workerData.cacheFile)) { parentPort.postMessage({ type: 'fatal', message: 'bad cache' }); return; }".replace('return;', 'process.exit(0);'));
    const cache = codeCacheFile(script);
    if (!cache) return this.skip();
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.writeFileSync(cache, 'not a code cache');
    const results = await scanWith(script, 1);
    assert.deepStrictEqual(results.map((r) => r.lines), files.map((f) => f.length));
    assert.ok(results.every((r) => !r.notices.length));
  });

  it('reports the files of a worker that dies as skipped, and finishes', async () => {
    const script = fakeWorker("parentPort.on('message', (m) => { if (m.type === 'scan' && m.files.some((f) => f.endsWith('50.ts'))) process.exit(3); });");
    const results = await scanWith(script, 2);
    assert.strictEqual(results.length, files.length);
    const skipped = results.filter((r) => r.notices.some((n) => /internal error, file skipped/.test(n.message)));
    assert.ok(skipped.some((r) => r.file.endsWith('50.ts')), 'the batch that killed the worker is reported');
    assert.ok(results.filter((r) => !r.notices.length).length > 0, 'the other worker carried on');
  });

  it('fixes files one at a time in one worker', async () => {
    const pool = new ScanPool(2, options, fakeWorker());
    try {
      const out = await pool.fix(['/a.ts', '/b.ts', '/c.ts'], false);
      assert.deepStrictEqual(out.map((o) => [o.file, o.applied]), [['/a.ts', 1], ['/b.ts', 1], ['/c.ts', 1]]);
    } finally { await pool.close(); }
  });
});
