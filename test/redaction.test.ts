// One redaction for every output: no secret from the analysed code reaches a message, JSON,
// SARIF (fix replacements included) or the terminal in more than its recognisable prefix, and
// control characters from file names or code are printed as escapes.
import * as assert from 'assert';
import { findings, project, removeProjects, vibeguard } from './harness/cli';
import { redactSecrets, redactLiterals } from '../rules/kit/frameworks/redact';

// Assembled at run time so that the repository holds no key-shaped literal.
const STRIPE = ['sk', 'live', '51HxQ2eLkR7vT9wZ3mN8pA4bC6dE'].join('_');
const GITHUB = ['ghp', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('_');
const PASSWORD = 'Xk29vLq81m@Zp';

const FILES: Record<string, string> = {
  // connection-per-request hoists the pool, connection string and all, to module scope.
  'pool.js': [
    "const { Pool } = require('pg');",
    "app.get('/users', async (req, res) => {",
    `  const pool = new Pool({ connectionString: 'postgres://app:${PASSWORD}@db.internal:5432/app' });`,
    "  const { rows } = await pool.query('SELECT * FROM users');",
    '  res.json(rows);',
    '});',
    '',
  ].join('\n'),
  // Parameterize query rewrites the template, key included.
  'pay.js': [
    "const { Pool } = require('pg');",
    'const pool = new Pool();',
    "app.get('/pay', async (req, res) => {",
    `  const { rows } = await pool.query(\`SELECT * FROM payments WHERE key = '${STRIPE}' AND user = '\${req.query.user}'\`);`,
    '  res.json(rows);',
    '});',
    '',
  ].join('\n'),
  // The sql-injection message quotes the risky expression, token and all.
  'tok.js': [
    "const { Pool } = require('pg');",
    'const pool = new Pool();',
    "app.get('/t', async (req, res) => {",
    `  const { rows } = await pool.query('SELECT * FROM t WHERE k = ' + (req.query.k || '${GITHUB}'));`,
    '  res.json(rows);',
    '});',
    '',
  ].join('\n'),
};

function leaks(out: string): string[] {
  return [STRIPE.slice(8), GITHUB.slice(4, 20), PASSWORD.slice(2)].filter((s) => out.includes(s));
}

describe('redaction of every output', function () {
  this.timeout(120_000);
  after(removeProjects);

  it('text, JSON and SARIF (fix replacements included) hold no secret beyond its prefix (D3, D4)', () => {
    const dir = project(FILES);
    for (const format of ['text', 'json', 'sarif']) {
      const r = vibeguard(dir, 'scan', '--format', format);
      assert.deepStrictEqual(leaks(r.stdout + r.stderr), [], `${format} output leaks a secret`);
    }
    const sql = findings(vibeguard(dir, 'scan', '--format', 'json')).find((f) => f.file === 'tok.js' && f.rule === 'sql-injection');
    assert.match(sql!.message, /\(req\.query\.k \|\| 'ghp_…'\)/, 'the quoted code keeps its shape, the token only its prefix');
  });

  it('SARIF keeps the fixes whose replacement holds no secret', () => {
    const dir = project({ 'users.js': "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/u', async (req, res) => {\n  await pool.query(`SELECT * FROM users WHERE email = '${req.query.email}'`);\n});\n" });
    const sarif = JSON.parse(vibeguard(dir, 'scan', '--format', 'sarif').stdout);
    assert.strictEqual(sarif.runs[0].results[0].fixes?.length, 1);
  });

  it('a connection-string password holding @ is cut whole (D4)', () => {
    assert.strictEqual(redactSecrets(`'postgres://app:${PASSWORD}@db.internal/app'`), "'postgres://app:…@db.internal/app'");
    const dir = project({ 'db.js': `const url = 'postgres://app:${PASSWORD}@db.internal/app';\n` });
    const r = vibeguard(dir, 'scan', '--format', 'json');
    assert.deepStrictEqual(leaks(r.stdout), []);
    assert.match(findings(r)[0].message, /'postgres:\/\/app:…@db\.internal'/);
  });

  it('quoted code keeps plain words and cuts other literals', () => {
    assert.strictEqual(redactLiterals(`(req.query.sort || 'created_at')`), `(req.query.sort || 'created_at')`);
    assert.strictEqual(redactLiterals(`(req.query.k || 'hunter2hunter2')`), `(req.query.k || 'hunt…')`);
    assert.strictEqual(redactLiterals(`\`a-\${x}-b\``), `\`a-\${x}-b\``);
  });

  it('control characters in file names and messages are escaped in the text report (D17)', () => {
    const fake = 'x.js\n0 problems (0 errors, 0 warnings, 0 info), 0 fixable\n\u001b[2Ja.js';
    const esc = FILES['tok.js'].replace(GITHUB, '\u001b[2J\u001b[H');
    const dir = project({ [fake]: FILES['tok.js'], 'esc.js': esc });
    const r = vibeguard(dir, 'scan');
    assert.strictEqual(r.code, 1);
    assert.ok(!/[\u0000-\u0008\u000b-\u001f]/.test(r.stdout), JSON.stringify(r.stdout));
    assert.strictEqual(r.stdout.split('\n').filter((l) => l.startsWith('0 problems')).length, 0, r.stdout);
    assert.match(r.stdout, /x\.js\\x0a0 problems .*\\x1b\[2Ja\.js/);
    assert.match(r.stdout, /\(req\.query\.k \|\| '\\x1b.*'\)/, 'a control character quoted from the code is escaped');
  });
});
