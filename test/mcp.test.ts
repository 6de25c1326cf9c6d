// `vibeguard mcp`, driven over stdio by the MCP SDK's own client as an agent drives it: list the
// tools, scan a folder and a snippet, get a fix as a diff that `git apply` applies, apply one
// through the tool, refuse paths outside the workspace root, answer bad arguments with tool errors,
// and run from the package alone (bin/, dist/, package.json: no node_modules).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT } from './harness/fixtures';
import { PG_ROUTE as USERS_JS, PG_ROUTE_FIXED } from './harness/samples';

const CLI_BIN = path.join(ROOT, 'bin', 'vibeguard.js');

const AUTH_JS = "const jwt = require('jsonwebtoken');\nexports.token = (user) => jwt.sign({ id: user.id }, 'my-secret-key', { expiresIn: '1h' });\n";
const CLEAN_TS = 'export const add = (a: number, b: number): number => a + b;\n';

interface Finding { file: string; line: number; rule: string; message: string; severity: string; fix?: { title: string; safety: string } }
interface ScanResult { scannedFiles: number; findings: Finding[]; truncated: boolean; notes: string[] }
interface FixResult { file: string; finding: Finding; diff: string; edits: unknown[]; fixedCode?: string; applied: boolean; remaining?: Finding[] }
interface ToolResult { content: { type: string; text: string }[]; structuredContent?: unknown; isError?: boolean }

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function workspace(parent: string): string {
  const ws = path.join(parent, 'ws');
  const files: Record<string, string> = {
    'src/users.js': USERS_JS,
    'src/auth.js': AUTH_JS,
    'src/math.ts': CLEAN_TS,
    'dist/bundle.js': USERS_JS,
    '.gitignore': 'dist/\n',
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    fs.writeFileSync(path.join(ws, name), text);
  }
  git(ws, 'init', '-q');
  git(ws, 'add', '.');
  git(ws, 'commit', '-qm', 'start');
  return ws;
}

async function connect(bin: string, root: string): Promise<Client> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', '--root', root], stderr: 'pipe' });
  const client = new Client({ name: 'vibeguard-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return await client.callTool({ name, arguments: args }) as ToolResult;
}

const text = (r: ToolResult) => r.content.map((c) => c.text).join('\n');

interface Replacement { line: number; column: number; endLine: number; endColumn: number; text: string }

/** Applies 1-based, end-exclusive line/column replacements (UTF-16 columns) as an editor would. */
function applyReplacements(source: string, edits: Replacement[]): string {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (line: number, column: number) => starts[line - 1] + column - 1;
  let out = source;
  for (const e of [...edits].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column))) {
    out = out.slice(0, offset(e.line, e.column)) + e.text + out.slice(offset(e.endLine, e.endColumn));
  }
  return out;
}

describe('MCP server (vibeguard mcp, SDK client over stdio)', function () {
  this.timeout(60000);
  let dir: string;
  let ws: string;
  let client: Client;

  beforeEach(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vg-mcp-')));
    ws = workspace(dir);
    client = await connect(CLI_BIN, ws);
  });
  afterEach(async () => {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists its four tools, each with an input schema', async () => {
    const { tools } = await client.listTools();
    assert.deepStrictEqual(tools.map((t) => t.name).sort(), ['explain_rule', 'get_fix', 'scan', 'scan_snippet']);
    for (const t of tools) {
      assert.strictEqual(t.inputSchema.type, 'object', t.name);
      assert.ok(t.description && t.description.length > 40, `${t.name} tells an agent what it does`);
    }
    const getFix = tools.find((t) => t.name === 'get_fix')!;
    assert.deepStrictEqual(getFix.inputSchema.required, ['file', 'line']);
    assert.ok(getFix.outputSchema, 'get_fix declares its structured result');
    assert.match(client.getInstructions() ?? '', /call scan on it/);
  });

  it('scans a folder: findings name the rule, line, message and fix with its safety; .gitignore is honoured', async () => {
    const r = await call(client, 'scan', { paths: ['src'] });
    assert.ok(!r.isError, text(r));
    const s = r.structuredContent as ScanResult;
    assert.strictEqual(s.scannedFiles, 3);
    assert.deepStrictEqual(s.findings.map((f) => [f.file, f.line, f.rule, f.fix?.title, f.fix?.safety]), [
      ['src/auth.js', 2, 'hardcoded-secret', 'Move secret to environment', 'unsafe'],
      ['src/users.js', 4, 'sql-injection', 'Parameterize query', 'safe'],
    ]);
    assert.match(text(r), /^2 findings in 2 files \(3 files scanned\):$/m);
    assert.match(text(r), /^src\/users\.js:4:37 error sql-injection: SQL passed to pool\.query is built from request data \(req\.query\.email\).*Fix: "Parameterize query" \(safe\)\.$/m);
    // The whole workspace: dist/ is in .gitignore.
    const all = (await call(client, 'scan', {})).structuredContent as ScanResult;
    assert.strictEqual(all.scannedFiles, 3);
  });

  it('scans a snippet not written to disk, with lines counted in the snippet', async () => {
    const snippet = "import { Pool } from 'pg';\nconst pool = new Pool();\nexport const find = (req: any) => pool.query('SELECT * FROM t WHERE id = ' + req.params.id);\n";
    const r = await call(client, 'scan_snippet', { code: snippet, filename: 'src/routes/items.ts' });
    const s = r.structuredContent as ScanResult;
    assert.deepStrictEqual(s.findings.map((f) => [f.file, f.line, f.rule]), [['src/routes/items.ts', 3, 'sql-injection']]);
    assert.ok(!fs.existsSync(path.join(ws, 'src/routes/items.ts')), 'nothing is written');
    const py = await call(client, 'scan_snippet', { code: 'import sqlite3\nconn = sqlite3.connect("x.db")\ndef find(name):\n    return conn.execute(f"SELECT * FROM t WHERE name = \'{name}\'")\n', filename: 'handler', language: 'python' });
    assert.deepStrictEqual((py.structuredContent as ScanResult).findings.map((f) => [f.line, f.rule]), [[4, 'sql-injection']]);
    const clean = await call(client, 'scan_snippet', { code: CLEAN_TS, filename: 'a.ts' });
    assert.match(text(clean), /^No findings in 1 file scanned\.$/m);
  });

  it('returns a fix as a diff that git apply applies, leaving the file free of that finding', async () => {
    const r = await call(client, 'get_fix', { file: 'src/users.js', line: 4 });
    assert.ok(!r.isError, text(r));
    const fix = r.structuredContent as FixResult;
    assert.strictEqual(fix.applied, false);
    assert.strictEqual(fs.readFileSync(path.join(ws, 'src/users.js'), 'utf8'), USERS_JS, 'get_fix without apply writes nothing');
    assert.strictEqual(fix.finding.rule, 'sql-injection');
    const patch = path.join(dir, 'fix.patch');
    fs.writeFileSync(patch, fix.diff);
    git(ws, 'apply', '--check', patch);
    git(ws, 'apply', patch);
    const fixed = fs.readFileSync(path.join(ws, 'src/users.js'), 'utf8');
    assert.strictEqual(fixed, PG_ROUTE_FIXED);
    // The edits say the same as the diff.
    assert.deepStrictEqual(fix.edits.map((e) => (e as { file: string }).file), ['src/users.js']);
    assert.strictEqual(applyReplacements(USERS_JS, (fix.edits[0] as { edits: Replacement[] }).edits), fixed);
    const after = (await call(client, 'scan', { paths: ['src/users.js'] })).structuredContent as ScanResult;
    assert.deepStrictEqual(after.findings, []);
  });

  it('a fix that writes other files (.env, .gitignore) diffs them too, and apply: true writes them', async () => {
    const r = await call(client, 'get_fix', { file: 'src/auth.js', line: 2, rule: 'hardcoded-secret' });
    const fix = r.structuredContent as FixResult;
    assert.match(fix.diff, /^diff --git a\/\.env b\/\.env\nnew file mode 100644\n--- \/dev\/null\n\+\+\+ b\/\.env\n@@ -0,0 \+1,1 @@\n\+JWT_SECRET=my-secret-key\n/m);
    assert.match(text(r), /unsafe: it changes behaviour on purpose/);
    const patch = path.join(dir, 'secret.patch');
    fs.writeFileSync(patch, fix.diff);
    git(ws, 'apply', '--check', patch);

    const applied = await call(client, 'get_fix', { file: 'src/auth.js', line: 2, apply: true });
    const done = applied.structuredContent as FixResult;
    assert.strictEqual(done.applied, true);
    assert.deepStrictEqual(done.remaining, []);
    assert.match(text(applied), /src\/auth\.js now has no findings\./);
    assert.strictEqual(fs.readFileSync(path.join(ws, '.env'), 'utf8'), 'JWT_SECRET=my-secret-key\n');
    assert.match(fs.readFileSync(path.join(ws, 'src/auth.js'), 'utf8'), /requireEnv\('JWT_SECRET'\)/);
    // What apply wrote is what the diff said.
    git(ws, 'add', '-A');
    assert.strictEqual(git(ws, 'diff', '--cached', '--stat').includes('.gitignore'), fix.diff.includes('b/.gitignore'));
  });

  it('fixes a snippet and returns the fixed code; apply needs a file on disk', async () => {
    const snippet = USERS_JS.replace('email', 'name');
    const r = await call(client, 'get_fix', { file: 'src/q.js', line: 4, code: snippet });
    assert.ok(!r.isError, text(r));
    assert.strictEqual((r.structuredContent as FixResult).fixedCode, snippet.replace("name = '${req.query.email}'`)", 'name = $1`, [req.query.email])'));
    assert.ok(!fs.existsSync(path.join(ws, 'src/q.js')));
    const refused = await call(client, 'get_fix', { file: 'src/q.js', line: 4, code: snippet, apply: true });
    assert.strictEqual(refused.isError, true);
    assert.match(text(refused), /apply needs a file on disk/);
  });

  it('refuses paths outside the workspace root, including through a symbolic link', async () => {
    fs.writeFileSync(path.join(dir, 'outside.js'), USERS_JS);
    fs.symlinkSync(dir, path.join(ws, 'escape'));
    for (const [tool, args] of [
      ['scan', { paths: ['../outside.js'] }],
      ['scan', { paths: [path.join(dir, 'outside.js')] }],
      ['scan', { paths: ['escape/outside.js'] }],
      ['get_fix', { file: '../outside.js', line: 4, apply: true }],
      ['scan_snippet', { code: USERS_JS, filename: '../../x.js' }],
    ] as const) {
      const r = await call(client, tool, args);
      assert.strictEqual(r.isError, true, `${tool} ${JSON.stringify(args)}`);
      assert.match(text(r), /^refused: .* is outside the workspace root /, text(r));
    }
    assert.strictEqual(fs.readFileSync(path.join(dir, 'outside.js'), 'utf8'), USERS_JS);
  });

  it('answers bad arguments with tool errors that say what is wrong, and keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['get_fix', { file: 'src/users.js', line: 'four' }, /Invalid arguments for tool get_fix.*line/],
      ['get_fix', { file: 'src/users.js' }, /Invalid arguments for tool get_fix.*line/],
      ['get_fix', { file: 'src/users.js', line: 2 }, /no Vibe Guard finding at src\/users\.js:2; the file has: sql-injection at line 4/],
      ['get_fix', { file: 'src/math.ts', line: 1 }, /the file has no findings/],
      ['get_fix', { file: 'src/missing.js', line: 1 }, /src\/missing\.js: cannot read file \(ENOENT\)/],
      ['scan', { paths: ['nope'] }, /no such file or folder: nope/],
      ['scan_snippet', { code: 'x', filename: 'notes.txt' }, /not a JavaScript, TypeScript or Python file name/],
      ['explain_rule', { rule: 'no-such-rule' }, /Invalid arguments for tool explain_rule/],
    ];
    for (const [tool, args, message] of cases) {
      const r = await call(client, tool, args);
      assert.strictEqual(r.isError, true, `${tool} ${JSON.stringify(args)}`);
      assert.match(text(r), message);
    }
    const ok = await call(client, 'scan', { paths: ['src/users.js'] });
    assert.strictEqual((ok.structuredContent as ScanResult).findings.length, 1);
  });

  it('explains a rule from its documentation', async () => {
    const r = await call(client, 'explain_rule', { rule: 'connection-per-request' });
    assert.match(text(r), /^\*\*connection-per-request\*\*: /);
    assert.match(text(r), /## Why\n/);
    assert.match(text(r), /## Quick fix \(safe\)/);
  });

  it('runs from the package alone: bin/ and dist/ without node_modules', async () => {
    const pkg = path.join(dir, 'package');
    fs.mkdirSync(pkg);
    fs.cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'dist'), path.join(pkg, 'dist'), { recursive: true, filter: (src) => !src.includes('.v8-cache') });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
    const alone = await connect(path.join(pkg, 'bin', 'vibeguard.js'), ws);
    try {
      const r = await call(alone, 'scan', { paths: ['src/users.js'] });
      assert.deepStrictEqual((r.structuredContent as ScanResult).findings.map((f) => f.rule), ['sql-injection']);
    } finally {
      await alone.close();
    }
  });
});
