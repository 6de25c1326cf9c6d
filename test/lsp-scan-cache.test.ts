// The editor's workspace scan with a result cache (vibeguard/scanWorkspace with `cacheDir`, which
// the VS Code client sends by default): a second scan of an unchanged workspace publishes the same
// diagnostics from the cache, and a changed workspace fact (a host mounting the router behind
// auth) or a changed file is analysed again. The server's analysis threads look at other files
// again at most every 2 s, so a result that read files changed just before is not kept; the
// tests wait that long after a change (and the project's files start old). Needs the bundles.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './harness/lsp';
import { AUTH, BILLING, server } from './harness/guarded-router';

const SQL = "const { Pool } = require('pg');\nconst pool = new Pool();\nexports.find = (req) => pool.query(`SELECT * FROM users WHERE email = '${req.query.email}'`);\n";

describe('workspace scan with the result cache (LSP)', function () {
  this.timeout(120_000);
  let ws: string;
  let cacheDir: string;
  let client: LspClient;

  beforeEach(async () => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vg-lsp-cache-')));
    cacheDir = path.join(fs.realpathSync(os.tmpdir()), `vg-lsp-cache-store-${process.pid}-${Date.now()}`);
    for (const [rel, text] of Object.entries({ 'server.js': server(false), 'billing.js': BILLING, 'middleware/auth.js': AUTH, 'db.js': SQL })) {
      fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
      fs.writeFileSync(path.join(ws, rel), text);
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(path.join(ws, rel), old, old);
    }
    client = new LspClient(ws);
    await client.initialize();
  });
  afterEach(async () => {
    await client.close();
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  /** Scans; the diagnostics last published per file (relative path), and how many files came from the cache. */
  async function scan(params: Record<string, unknown> = { cacheDir }): Promise<{ byFile: Map<string, Diagnostic[]>; hits: number }> {
    const since = client.pushed.length;
    const logs = client.logs.length;
    await client.conn.sendRequest('vibeguard/scanWorkspace', { folders: [], ...params });
    const byFile = new Map<string, Diagnostic[]>();
    for (const p of client.pushed.slice(since)) byFile.set(path.relative(ws, new URL(p.uri).pathname), p.diagnostics);
    const line = client.logs.slice(logs).find((l) => /workspace scan: \d+ findings/.test(l)) ?? '';
    const m = /(\d+) from the result cache/.exec(line);
    return { byFile, hits: m ? Number(m[1]) : -1 };
  }
  const settle = () => new Promise((r) => setTimeout(r, 2600));
  const rules = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => String(d.code)).sort();

  it('a second scan of the unchanged workspace comes from the cache with the same diagnostics', async () => {
    const first = await scan();
    assert.strictEqual(first.hits, 0);
    assert.deepStrictEqual(rules(first.byFile.get('billing.js')), ['missing-auth', 'missing-auth'], JSON.stringify([...first.byFile]));
    const second = await scan();
    assert.strictEqual(second.hits, 4, client.logs.join('\n'));
    assert.deepStrictEqual([...second.byFile].sort(), [...first.byFile].sort());
    assert.strictEqual(fs.readdirSync(cacheDir).filter((f) => f.startsWith('editor-')).length, 1);
  });

  it('a host file guarding the router invalidates the router\'s cached result; a changed file is analysed again', async () => {
    await scan();
    fs.writeFileSync(path.join(ws, 'server.js'), server(true));
    // At once: the analysis thread may still see the old server.js; what it says must not be kept.
    await scan();
    await settle();
    const guarded = await scan();
    assert.deepStrictEqual(rules(guarded.byFile.get('billing.js')), [], 'the published missing-auth findings are withdrawn');
    fs.writeFileSync(path.join(ws, 'db.js'), SQL.replace('req.query.email', 'req.query.mail'));
    await settle();
    const changed = await scan();
    assert.ok(changed.hits >= 1 && changed.hits < 4, `${changed.hits}`);
    assert.match(changed.byFile.get('db.js')?.[0]?.message ?? '', /req\.query\.mail/);
  });

  it('an open document is scanned with its editor text, and without cacheDir nothing is cached', async () => {
    await scan();
    const uri = await client.open('db.js', "exports.ok = () => 1;\n");
    const edited = await scan();
    assert.deepStrictEqual(rules(edited.byFile.get('db.js')), [], 'the unsaved text has no finding');
    const plain = await scan({});
    assert.strictEqual(plain.hits, -1);
    assert.ok(uri);
    await assert.rejects(client.conn.sendRequest('vibeguard/scanWorkspace', { folders: [], cacheDir: 'relative/dir' }), (e: { code: number; message: string }) => e.code === -32602 && /cacheDir/.test(e.message));
  });
});
