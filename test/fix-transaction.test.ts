// --fix never loses code or secrets: all files of a fix are written or none (a folder where .env
// should be, a full disk, a failing rename), bytes outside the edit are kept, files that are not
// UTF-8 are not rewritten, writes never follow links or leave the workspace, line endings follow
// the file, and broken files are only fixed away from the damage.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findings, project, removeProjects, vibeguard, VULNERABLE } from './harness/cli';
import { ROOT } from './harness/fixtures';
import { commitWrites, realIo, type WriteIo } from '../server/src/writes/transaction';

const SECRET = 'n8v2Qx7LmP4sZr9T';
const AUTH = `const jwt = require('jsonwebtoken');\nexport const sign = (user) => jwt.sign({ id: user.id }, '${SECRET}', { expiresIn: '1h' });\n`;
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

/** Real file-system calls, except that the n-th call of `method` fails with `code`. */
function failing(method: keyof WriteIo, n: number, code: string): WriteIo {
  let calls = 0;
  return new Proxy(realIo, {
    get: (target, key: keyof WriteIo) => (...args: unknown[]) => {
      if (key === method && ++calls === n) throw Object.assign(new Error(`${code}: simulated`), { code });
      return (target[key] as (...a: unknown[]) => unknown)(...args);
    },
  });
}

describe('--fix as a transaction', function () {
  this.timeout(120_000);
  after(removeProjects);

  it('a secret fix whose .env cannot be written leaves the source as it was and says so (D1)', () => {
    const dir = project({ 'package.json': '{}', 'src/auth.js': AUTH, '.env/keep': '' });
    const r = vibeguard(dir, 'scan', '--fix', '--unsafe-fixes', '--format', 'json');
    assert.strictEqual(read(dir, 'src/auth.js'), AUTH);
    assert.match(r.stderr, /^src\/auth\.js: fixes not applied, no file changed: .*\.env is a folder$/m);
    assert.deepStrictEqual(findings(r).map((f) => f.rule), ['hardcoded-secret'], 'the finding is still reported');
    assert.strictEqual(r.code, 1);
  });

  it('a write that fails half-way (full disk) changes no file (D2, simulated)', () => {
    const dir = project({ 'a.txt': 'old a\n', 'b.txt': 'old b\n' });
    const a = path.join(dir, 'a.txt');
    const b = path.join(dir, 'b.txt');
    const writes = [{ path: a, content: Buffer.from('new a\n') }, { path: b, content: Buffer.from('new b\n'.repeat(1000)) }];
    // The second file's content runs out of space while being staged.
    const full = commitWrites(writes, failing('writeSync', 2, 'ENOSPC'));
    assert.deepStrictEqual(full, { ok: false, unchanged: true, error: `cannot write ${b} (ENOSPC)` });
    // The second rename fails after the first file was replaced: the first is put back.
    const rename = commitWrites(writes, failing('renameSync', 2, 'EIO'));
    assert.deepStrictEqual(rename, { ok: false, unchanged: true, error: `cannot write ${b} (EIO)` });
    assert.deepStrictEqual([read(dir, 'a.txt'), read(dir, 'b.txt')], ['old a\n', 'old b\n']);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'b.txt'], 'no temporary file is left behind');
    assert.deepStrictEqual(commitWrites(writes), { ok: true });
    assert.strictEqual(read(dir, 'a.txt'), 'new a\n');
    // A folder created for a new file goes again when the fix does not go through.
    const helper = path.join(dir, 'lib', 'deep', 'helper.js');
    const failed = commitWrites([{ path: helper, content: Buffer.from('x') }, { path: a, content: Buffer.from('newer a\n') }], failing('renameSync', 2, 'EIO'));
    assert.strictEqual(failed.ok, false);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['a.txt', 'b.txt']);
  });

  it('a fix that adds a helper module creates its folder (the transaction makes missing folders)', () => {
    const app = fs.readFileSync(path.join(ROOT, 'test-fixtures/webhook-not-idempotent/bad.express.js'), 'utf8').replace(/ *\/\/ expect: [\w-]+/g, '');
    const dir = project({ 'package.json': '{"dependencies":{"pg":"8"}}', 'app.js': app });
    const r = vibeguard(dir, 'scan', '--fix', '--unsafe-fixes');
    assert.match(r.stdout, /^app\.js: \d+ fixes applied$/m, r.stderr);
    assert.match(read(dir, 'lib/idempotency.js'), /oncePerEvent/);
  });

  it('on a really full disk the source is not truncated (D2, a 64 KB tmpfs)', function () {
    const dir = project({});
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    try { execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' }); } catch { return this.skip(); }
    try {
      // Just under five pages, so that the longer fixed text needs a sixth; then fill the disk.
      const src = VULNERABLE + `// ${'x'.repeat(5 * 4096 - VULNERABLE.length - 8)}\n`;
      fs.writeFileSync(path.join(mnt, 'users.js'), src);
      const filler = fs.openSync(path.join(mnt, 'filler'), 'w');
      try { for (;;) fs.writeSync(filler, Buffer.alloc(1024)); } catch { /* full */ } finally { fs.closeSync(filler); }
      const r = vibeguard(mnt, 'scan', '--fix', '--format', 'json');
      assert.strictEqual(fs.readFileSync(path.join(mnt, 'users.js'), 'utf8'), src);
      assert.match(r.stderr, /^users\.js: fixes not applied, no file changed: cannot write .*users\.js \(ENOSPC\)$/m);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('bytes outside the edit are kept; a file that is not UTF-8 is not rewritten (D9)', () => {
    const latin1 = Buffer.concat([Buffer.from(VULNERABLE), Buffer.from("const label = 'caf\xe9 cr\xe8me';\n", 'latin1')]);
    const odd = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VULNERABLE.replace(/\n/g, '\r\n')), Buffer.from("const s = '\u2028 \u{1f600}';\r\n")]);
    const dir = project({ 'latin1.js': latin1, 'odd.js': odd });
    const r = vibeguard(dir, 'scan', '--fix', '--format', 'json');
    assert.ok(fs.readFileSync(path.join(dir, 'latin1.js')).equals(latin1), 'the Latin-1 file is byte for byte as it was');
    assert.match(r.stderr, /^latin1\.js: fixes not applied: the file is not valid UTF-8 \(byte \d+\)/m);
    const after = fs.readFileSync(path.join(dir, 'odd.js'));
    const edit = after.indexOf('$1');
    assert.ok(edit > 0, after.toString());
    const before = odd.indexOf("'${req.query.email}'");
    assert.ok(after.subarray(0, before).equals(odd.subarray(0, before)), 'bytes before the edit, byte order mark included');
    const tail = odd.subarray(odd.indexOf(');\r\n  res.json'));
    assert.ok(after.subarray(after.length - tail.length).equals(tail), 'bytes after the edit');
  });

  it('never writes through links or outside the workspace; .env goes to the project, created 0600 (D10, O7)', function () {
    if (process.platform === 'win32') return this.skip();
    const outside = project({ 'real.js': VULNERABLE, 'secrets.env': 'OTHER=1\n' });
    const dir = project({ 'app/package.json': '{"dependencies":{"pg":"8"}}', 'app/src/auth.js': AUTH });
    fs.symlinkSync(path.join(outside, 'real.js'), path.join(dir, 'app/src/linked.js'));
    const r = vibeguard(dir, 'scan', 'app', '--fix', '--unsafe-fixes', '--format', 'json');
    assert.strictEqual(read(outside, 'real.js'), VULNERABLE, 'the link target is untouched');
    assert.match(r.stderr, /^app\/src\/linked\.js: fixes not applied, no file changed: .*linked\.js is a symbolic link/m);
    // Without .vibeguard.json the app folder (package.json) is the workspace: .env lands there, not in the current folder.
    assert.ok(!fs.existsSync(path.join(dir, '.env')));
    assert.strictEqual(read(dir, 'app/.env'), `JWT_SECRET=${SECRET}\n`);
    assert.strictEqual(fs.statSync(path.join(dir, 'app/.env')).mode & 0o777, 0o600);
    // A .env that links outside the workspace is never written through.
    const linked = project({ 'package.json': '{}', 'auth.js': AUTH });
    fs.symlinkSync(path.join(outside, 'secrets.env'), path.join(linked, '.env'));
    const l = vibeguard(linked, 'scan', '--fix', '--unsafe-fixes');
    assert.strictEqual(read(outside, 'secrets.env'), 'OTHER=1\n');
    assert.strictEqual(read(linked, 'auth.js'), AUTH);
    assert.match(l.stderr, /auth\.js: fixes not applied, no file changed: .*\.env is a symbolic link/);
  });

  it('inserted lines follow a CRLF file; a broken file is fixed only away from the damage (D16)', () => {
    const hoist = "const { Pool } = require('pg');\napp.get('/users', async (req, res) => {\n  const pool = new Pool();\n  const { rows } = await pool.query('SELECT 1');\n  res.json(rows);\n});\n".replace(/\n/g, '\r\n');
    const brokenAfter = VULNERABLE + "const s = 'unterminated\n";
    const brokenBefore = "const s = 'unterminated\n" + VULNERABLE;
    const dir = project({ 'crlf.js': hoist, 'after.js': brokenAfter, 'before.js': brokenBefore });
    vibeguard(dir, 'scan', '--fix');
    const crlf = read(dir, 'crlf.js');
    assert.notStrictEqual(crlf, hoist, 'the hoist fix applied');
    assert.ok(!/[^\r]\n/.test(crlf), JSON.stringify(crlf));
    assert.match(read(dir, 'after.js'), /\$1/, 'an edit before the damaged line, re-parsing no worse, applies');
    assert.strictEqual(read(dir, 'before.js'), brokenBefore, 'an edit after the first syntax error does not');
  });
});
