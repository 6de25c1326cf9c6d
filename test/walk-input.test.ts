// What a scan reads: files git tracks are analysed even where a .gitignore matches them (git keeps
// them), and UTF-16 files saved with a byte order mark are decoded rather than called binary.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decode } from '../server/src/cli/readSource';

const ROOT = process.env.VIBEGUARD_ROOT ?? path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'vibeguard.js');
const SQL = "const { Pool } = require('pg');\nconst pool = new Pool();\napp.get('/u', async (req, res) => res.json(await pool.query(`SELECT * FROM u WHERE id = ${req.query.id}`)));\n";

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
}

function scanJson(dir: string): { findings: { file: string; rule: string }[] } {
  const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', '--fail-on', 'off', '.'], { cwd: dir, encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('files a scan reads', () => {
  let dir: string;
  beforeEach(() => { dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vibeguard-walk-'))); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('analyses files git tracks under an ignored folder, and only those', () => {
    fs.mkdirSync(path.join(dir, 'generated'));
    fs.writeFileSync(path.join(dir, '.gitignore'), 'generated/\n*.local.js\n');
    fs.writeFileSync(path.join(dir, 'generated', 'tracked.js'), SQL);
    fs.writeFileSync(path.join(dir, 'generated', 'untracked.js'), SQL);
    fs.writeFileSync(path.join(dir, 'settings.local.js'), SQL);
    git(dir, 'init', '-q');
    git(dir, 'add', '-f', '.gitignore', 'generated/tracked.js');
    git(dir, 'commit', '-qm', 'init');
    assert.deepStrictEqual(scanJson(dir).findings.map((f) => f.file), ['generated/tracked.js']);
  });

  it('decodes UTF-16 files with a byte order mark instead of skipping them as binary', () => {
    const source = "const stripeKey = 'sk_live_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ';\n";
    fs.writeFileSync(path.join(dir, 'le.ts'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source, 'utf16le')]));
    fs.writeFileSync(path.join(dir, 'be.ts'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(source, 'utf16le').swap16()]));
    fs.writeFileSync(path.join(dir, 'bom8.ts'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(source)]));
    assert.deepStrictEqual(scanJson(dir).findings.map((f) => `${f.file}:${f.rule}`).sort(), ['be.ts:hardcoded-secret', 'bom8.ts:hardcoded-secret', 'le.ts:hardcoded-secret']);
  });

  it('decodes UTF-16 in either byte order', () => {
    assert.strictEqual(decode(Buffer.from([0xff, 0xfe, 0x61, 0x00])).encoding, 'utf16le');
    assert.strictEqual(decode(Buffer.from([0xfe, 0xff, 0x00, 0x61])).text, 'a');
  });
});
