// Bounded, fail-closed analysis: pathological input is analysed or reported precisely, never
// skipped silently; files that could not be analysed fail the CLI gate; special files never block.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { engine } from './harness/fixtures';
import { findings, project, removeProjects, vibeguard } from './harness/cli';
import { randomText } from './harness/random';

const JS_HEAD = "const { Pool } = require('pg');\nconst pool = new Pool();\n";
const jsRoute = (sql: string) => `${JS_HEAD}app.get('/u', async (req, res) => {\n  await pool.query(${sql});\n});\n`;
const PY_HEAD = 'import sqlite3\nfrom flask import Flask, request\napp = Flask(__name__)\ndb = sqlite3.connect("x.db")\n\n';
const pyRoute = (sql: string) => `${PY_HEAD}@app.route("/u")\ndef u():\n    db.execute(${sql})\n`;

const DEEP = {
  'parens.js': jsRoute(`'SELECT * FROM t WHERE a = ' + ${'('.repeat(3000)}req.query.a${')'.repeat(3000)}`),
  'plus.js': jsRoute(`'SELECT * FROM t WHERE a = ' + req.query.a${" + ' '".repeat(10_000)}`),
  'chain.js': jsRoute(`'SELECT * FROM t WHERE a = ' + req.query.a${'.trim()'.repeat(5000)}`),
  'parens.py': pyRoute(`"SELECT * FROM t WHERE a = " + ${'('.repeat(3000)}request.args["a"]${')'.repeat(3000)}`),
  'plus.py': pyRoute(`"SELECT * FROM t WHERE a = " + request.args["a"]${' + " "'.repeat(10_000)}`),
  'chain.py': pyRoute(`"SELECT * FROM t WHERE a = " + request.args["a"]${'.strip()'.repeat(5000)}`),
};

describe('bounded, fail-closed analysis', function () {
  this.timeout(180_000);
  after(removeProjects);

  it('3,000 nested parentheses, 10,000 + terms and 5,000 chained calls are analysed by the CLI (D7)', () => {
    const dir = project(DEEP);
    const r = vibeguard(dir, 'scan', '--format', 'json');
    assert.strictEqual(r.stderr, '');
    assert.deepStrictEqual(findings(r).map((f) => `${f.file} ${f.rule}`).sort(), Object.keys(DEEP).sort().map((f) => `${f} sql-injection`));
    assert.strictEqual(r.code, 1);
  });

  it('on a thread with a small stack, nesting too deep for the parser is reported where it is, not as an internal error (D7)', async () => {
    const e = await engine();
    const a = e.analyze('/x/parens.js', DEEP['parens.js']);
    const notice = a.notices.find((n) => n.kind === 'too-deep' || n.kind === 'internal');
    // Mocha's main thread has Node's default stack: the TypeScript parser itself runs out there.
    if (notice) {
      assert.strictEqual(notice.kind, 'too-deep', notice.message);
      assert.match(notice.message, /nested too deeply to analyse during parsing \(\d+ levels deep at 4:\d+\)/);
    } else {
      assert.deepStrictEqual(a.findings.map((f) => f.ruleId), ['sql-injection']);
    }
    for (const f of ['plus.js', 'chain.js', 'plus.py', 'chain.py']) {
      const b = e.analyze(`/x/${f}`, DEEP[f as keyof typeof DEEP]);
      assert.deepStrictEqual(b.findings.map((x) => x.ruleId), ['sql-injection'], `${f}: ${b.notices.map((n) => n.message)}`);
    }
  });

  it('SQL concatenated from 5 values (a 5-column INSERT) is reported in JS and Python (D8)', async () => {
    const e = await engine();
    const js = jsRoute("'INSERT INTO t VALUES (' + req.body.a + ',' + req.body.b + ',' + req.body.c + ',' + req.body.d + ',' + req.body.e + ')'");
    const py = pyRoute('"INSERT INTO t VALUES (" + request.form["a"] + "," + request.form["b"] + "," + request.form["c"] + "," + request.form["d"] + "," + request.form["e"] + ")"');
    assert.deepStrictEqual(e.analyze('/x/insert.js', js).findings.map((f) => f.ruleId), ['sql-injection']);
    assert.deepStrictEqual(e.analyze('/x/insert.py', py).findings.map((f) => f.ruleId), ['sql-injection']);
    // And the fix parameterizes all five.
    const fixed = e.fixAll('/x/insert.js', js, { env: { workspaceRoot: '/x', readFile: () => '{"dependencies":{"pg":"8"}}' } });
    assert.match(fixed.text, /pool\.query\('INSERT INTO t VALUES \(\$1,\$2,\$3,\$4,\$5\)', \[req\.body\.a, req\.body\.b, req\.body\.c, req\.body\.d, req\.body\.e\]\)/);
  });

  it('a megabyte of random bytes in a .py file ends with a notice, not a hang (D11)', async () => {
    const e = await engine();
    const a = e.analyze('/x/random.py', randomText(1024 * 1024));
    assert.deepStrictEqual(a.findings, []);
    assert.ok(a.notices.some((n) => n.kind === 'binary' || n.kind === 'budget'), a.notices.map((n) => n.message).join('; '));
  });

  it('one NUL byte in a comment does not make a source file binary (D6)', () => {
    const dir = project({ 'nul.js': jsRoute("`SELECT * FROM t WHERE a = '${req.query.a}'`").replace('const pool', '// \u0000\nconst pool') });
    const r = vibeguard(dir, 'scan', '--format', 'json');
    assert.deepStrictEqual(findings(r).map((f) => f.rule), ['sql-injection'], r.stderr);
    assert.strictEqual(r.code, 1);
  });

  it('a file that could not be analysed fails the run unless --allow-unanalysed (exit 3)', () => {
    const slow = project({
      '.vibeguard.json': JSON.stringify({ timeBudgetMs: 1 }),
      'big.js': `${JS_HEAD}${'function f(a) { return a + 1; }\n'.repeat(20_000)}`,
    });
    const r = vibeguard(slow, 'scan');
    assert.strictEqual(r.code, 3, r.stderr);
    assert.match(r.stderr, /^big\.js: analysis stopped during .*time budget of 1 ms \(timeBudgetMs in \.vibeguard\.json\)/m);
    assert.match(r.stderr, /1 file could not be analysed/);
    assert.strictEqual(vibeguard(slow, 'scan', '--allow-unanalysed').code, 0);
    // Bytes that are not UTF-8 and do not parse: binary, not analysed. Latin-1 text that parses is analysed.
    const bin = project({ 'bin.py': Buffer.from([0x64, 0x65, 0x66, 0x20, 0xff, 0xfe, 0x28, 0x3a, 0x0a]), 'latin1.py': Buffer.from('s = "caf\xe9"\n', 'latin1') });
    const b = vibeguard(bin, 'scan');
    assert.strictEqual(b.code, 3, b.stderr);
    assert.match(b.stderr, /^bin\.py: looks like a binary file/m);
    assert.match(b.stderr, /^latin1\.py: not valid UTF-8 \(byte 8\); analysed with replacement characters/m);
    assert.match(b.stderr, /1 file could not be analysed/);
  });

  it('a FIFO named like a source file is skipped with a notice, on the command line and in a folder (D12)', function () {
    if (process.platform === 'win32') return this.skip();
    const dir = project({ 'ok.js': 'export const x = 1;\n' });
    execFileSync('mkfifo', [path.join(dir, 'x.js')]);
    const named = vibeguard(dir, 'scan', 'x.js');
    assert.strictEqual(named.code, 0, named.stderr);
    assert.match(named.stderr, /^x\.js: not a regular file \(a FIFO\); skipped$/m);
    const walked = vibeguard(dir, 'scan', '.');
    assert.match(walked.stderr, /x\.js: not a regular file; skipped/);
  });

  it('files with CR-only line endings get the right lines in JSON and SARIF (D15)', () => {
    const dir = project({ 'cr.js': jsRoute("`SELECT * FROM t WHERE a = '${req.query.a}'`").replace(/\n/g, '\r') });
    const [f] = findings(vibeguard(dir, 'scan', '--format', 'json'));
    assert.deepStrictEqual([f.line, f.column], [4, 20]);
    const sarif = JSON.parse(vibeguard(dir, 'scan', '--format', 'sarif').stdout);
    assert.strictEqual(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 4);
  });
});
