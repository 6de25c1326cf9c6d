// A real Neovim (Debian's, 0.7: it has no pull diagnostics) against `vibeguard lsp --stdio`, driven
// by test/neovim/fix-in-neovim.lua: the diagnostics arrive pushed, the quick fix picked through
// vim.lsp.buf.code_action() edits the buffer, and the saved file on disk is fixed. Neovim is
// installed with apt-get when missing (VIBEGUARD_NO_APT=1 forbids that; the test then fails).
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './harness/fixtures';
import { PG_ROUTE as USERS_JS, PG_ROUTE_FIXED } from './harness/samples';
import { aptInstall, which } from './systems/util';

const SCRIPT = path.join(ROOT, 'test', 'neovim', 'fix-in-neovim.lua');
const CLI_BIN = path.join(ROOT, 'bin', 'vibeguard.js');


interface NeovimResult {
  error?: string;
  pushes: number;
  diagnostics: { line: number; message: string; source: string; code: string }[];
  offered: string[];
  after: { code: string }[];
}

async function neovim(): Promise<string> {
  const found = which('nvim');
  if (found) return found;
  if (process.env.VIBEGUARD_NO_APT === '1') throw new Error('Neovim is not installed and VIBEGUARD_NO_APT=1 forbids installing it; run: apt-get install neovim');
  await aptInstall(['neovim'], 'the Neovim test needs Neovim');
  const installed = which('nvim');
  if (!installed) throw new Error('apt-get installed neovim but nvim is not on PATH');
  return installed;
}

/** Runs the Lua driver; its own waits are on conditions, the kill is only for a Neovim that hangs. */
function runNeovim(nvim: string, env: Record<string, string>, home: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const xdg = { XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_STATE_HOME: home, XDG_CACHE_HOME: home };
    const p = spawn(nvim, ['--headless', '--clean', '-n', '-c', `luafile ${SCRIPT}`], { env: { ...process.env, ...xdg, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d) => (output += d));
    p.stderr.on('data', (d) => (output += d));
    const killer = setTimeout(() => p.kill('SIGKILL'), 110_000);
    p.on('error', reject);
    p.on('exit', (code) => { clearTimeout(killer); resolve({ code, output }); });
  });
}

describe('Neovim (headless, plain vim.lsp) against vibeguard lsp --stdio', function () {
  this.timeout(15 * 60_000);
  let dir: string;

  before(async () => { await neovim(); });
  beforeEach(() => { dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vg-nvim-'))); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('shows the pushed finding, applies its quick fix through code_action, and the saved file is fixed', async () => {
    const ws = path.join(dir, 'ws');
    const file = path.join(ws, 'src', 'users.js');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, USERS_JS);
    const resultFile = path.join(dir, 'result.json');
    const run = await runNeovim(await neovim(), {
      VG_RESULT: resultFile,
      VG_WAIT_MS: '60000',
      VG_FILE: file,
      VG_ROOT: ws,
      VG_NODE: process.execPath,
      VG_CLI: CLI_BIN,
      VG_INIT_OPTIONS: JSON.stringify({ debounceMs: 0 }),
      VG_FIX_TITLE: 'Parameterize query',
    }, path.join(dir, 'home'));
    assert.ok(fs.existsSync(resultFile), `Neovim wrote no result (exit ${run.code}): ${run.output}`);
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as NeovimResult;
    assert.strictEqual(r.error ?? null, null);
    assert.ok(r.pushes >= 2, `diagnostics were pushed before and after the fix (${r.pushes} pushes)`);
    assert.deepStrictEqual(r.diagnostics.map((d) => [d.source, d.code, d.line]), [['vibeguard', 'sql-injection', 4]]);
    assert.match(r.diagnostics[0].message, /built from request data \(req\.query\.email\)/);
    assert.deepStrictEqual(r.offered, ['Parameterize query', 'Disable sql-injection for this line']);
    assert.deepStrictEqual(r.after, []);
    const onDisk = fs.readFileSync(file, 'utf8');
    assert.strictEqual(onDisk, PG_ROUTE_FIXED);
  });
});
