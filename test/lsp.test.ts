// Protocol tests against the built server over stdio with a real JSON-RPC client.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic, CodeAction } from 'vscode-languageserver-protocol';
import { LspClient, PG_BAD } from './harness/lsp';


const vg = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'vibeguard' && !String(d.code).startsWith('notice:'));

describe('language server (LSP over stdio)', function () {
  this.timeout(20000);
  let ws: string;
  let client: LspClient;

  beforeEach(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-lsp-'));
    client = new LspClient(ws);
    client.settings = { debounceMs: 20 };
    await client.initialize();
  });
  afterEach(async () => {
    await client.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('advertises pull diagnostics, incremental sync and fix-all', () => {
    const caps = client.initializeResult!.capabilities;
    assert.ok(caps.diagnosticProvider);
    assert.deepStrictEqual((caps.textDocumentSync as { change: number }).change, 2);
    assert.ok(JSON.stringify(caps.codeActionProvider).includes('source.fixAll.vibeguard'));
  });

  it('open → pull → quick fix → apply → pull shows it gone', async () => {
    const uri = await client.open('src/users.ts', PG_BAD);
    const ds = vg(await client.pull(uri));
    assert.strictEqual(ds.length, 1);
    const d = ds[0];
    assert.strictEqual(d.code, 'sql-injection');
    assert.strictEqual(d.severity, 1);
    assert.match(String(d.codeDescription?.href), /docs\/rules\/sql-injection\.md$/);
    assert.deepStrictEqual({ ruleId: (d.data as { ruleId: string }).ruleId, version: (d.data as { version: number }).version }, { ruleId: 'sql-injection', version: 1 });
    const actions = await client.codeActions(uri, [d]);
    const fix = actions.find((a) => a.title === 'Parameterize query');
    assert.ok(fix, `actions: ${actions.map((a) => a.title)}`);
    assert.strictEqual(fix.isPreferred, true);
    assert.ok(actions.some((a) => a.title === 'Disable sql-injection for this line'));
    await client.apply(fix.edit!, uri);
    assert.match(client.text(uri), /pool\.query\(`SELECT \* FROM users WHERE email = \$1`, \[req\.body\.email\]\)/);
    assert.deepStrictEqual(vg(await client.pull(uri)), []);
  });

  it('refuses a fix computed for an older version of the document', async () => {
    const uri = await client.open('a.ts', PG_BAD);
    const [d] = vg(await client.pull(uri));
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '// edited\n' }]);
    const actions = await client.codeActions(uri, [d]);
    const fix = actions.find((a) => a.title.startsWith('Parameterize query'));
    assert.ok(fix?.disabled, 'the stale fix is offered disabled, with a reason');
    assert.strictEqual(fix.edit, undefined);
    // The edit of a fresh fix is versioned, so the editor rejects it if the text moves on.
    const [fresh] = vg(await client.pull(uri));
    const ok = (await client.codeActions(uri, [fresh])).find((a) => a.title === 'Parameterize query')!;
    assert.strictEqual((ok.edit!.documentChanges![0] as { textDocument: { version: number } }).textDocument.version, 2);
  });

  it('cancels the analysis of an older version when a newer one arrives', async () => {
    client.settings = { debounceMs: 400 };
    const uri = await client.open('c.ts', PG_BAD);
    await client.pull(uri);
    await client.change(uri, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, newText: '/' }]);
    const stale = client.pull(uri);
    await client.change(uri, [{ range: { start: { line: 6, character: 1 }, end: { line: 6, character: 1 } }, newText: '/' }]);
    await assert.rejects(stale, (e: { code: number; data?: { retriggerRequest: boolean } }) => e.code === -32802 && e.data?.retriggerRequest === true);
    assert.strictEqual(vg(await client.pull(uri)).length, 1);
  });

  it('analyses a block insert (accepted suggestion) without the typing debounce and marks its findings', async () => {
    client.settings = { debounceMs: 60000 };
    const uri = await client.open('d.ts', "import { Pool } from 'pg';\nconst pool = new Pool();\n");
    assert.deepStrictEqual(vg(await client.pull(uri)), []);
    const block = 'export async function find(req: any) {\n  return pool.query(`SELECT * FROM t WHERE id = ${req.params.id}`);\n}\n';
    await client.change(uri, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: block }]);
    // With a one-minute debounce, only the block-insert path can answer within the test timeout.
    const ds = vg(await client.pull(uri));
    assert.strictEqual(ds.length, 1);
    assert.strictEqual((ds[0].data as { accepted?: boolean }).accepted, true);
    assert.match(ds[0].relatedInformation?.[0].message ?? '', /inserted just now/);
  });

  it('source.fixAll.vibeguard applies every safe fix in one edit', async () => {
    const two = PG_BAD + 'export const byId = (id: string) => pool.query("SELECT * FROM users WHERE id = " + id);\n';
    const uri = await client.open('e.ts', two);
    assert.strictEqual(vg(await client.pull(uri)).length, 2);
    const actions = await client.codeActions(uri, [], ['source.fixAll.vibeguard']);
    assert.strictEqual(actions.length, 1);
    assert.strictEqual(actions[0].kind, 'source.fixAll.vibeguard');
    await client.apply(actions[0].edit!, uri);
    assert.deepStrictEqual(vg(await client.pull(uri)), []);
    assert.match(client.text(uri), /WHERE id = \$1", \[id\]\)/);
  });

  it('"Disable for this line" suppresses the finding', async () => {
    const uri = await client.open('f.ts', PG_BAD);
    const [d] = vg(await client.pull(uri));
    const disable = (await client.codeActions(uri, [d])).find((a) => a.title === 'Disable sql-injection for this line')!;
    await client.apply(disable.edit!, uri);
    assert.match(client.text(uri), /\n {2}\/\/ vibeguard-disable-next-line sql-injection -- reason\n {2}const \{ rows \}/);
    assert.deepStrictEqual(vg(await client.pull(uri)), []);
  });

  it('analyses Python documents', async () => {
    const uri = await client.open('app.py', 'import sqlite3\nconn = sqlite3.connect("x.db")\n\ndef find(name):\n    return conn.execute(f"SELECT * FROM t WHERE name = \'{name}\'")\n');
    const ds = vg(await client.pull(uri));
    assert.deepStrictEqual(ds.map((d) => [d.code, d.range.start.line]), [['sql-injection', 4]]);
  });

  describe('bad input: clear message, and the server keeps serving', () => {
    async function stillServes() {
      const uri = await client.open(`ok-${Math.random()}.ts`, PG_BAD);
      assert.strictEqual(vg(await client.pull(uri)).length, 1, 'another document is still analysed');
    }

    it('a file with syntax errors', async () => {
      const uri = await client.open('broken.ts', PG_BAD + 'function (( {\n');
      const ds = await client.pull(uri);
      const notice = ds.find((d) => d.code === 'notice:syntax');
      assert.ok(notice, JSON.stringify(ds));
      assert.match(notice.message, /syntax error at \d+:\d+/);
      assert.strictEqual(vg(ds).length, 1, 'findings before the error are still reported');
      await stillServes();
    });

    it('a 5 MB file', async () => {
      const uri = await client.open('huge.js', '// filler\n'.repeat(520_000));
      const ds = await client.pull(uri);
      assert.match(ds.map((d) => d.message).join(), /5\.0 MB, above the 1024 KB analysis limit/);
      await stillServes();
    });

    it('a binary file', async () => {
      const uri = await client.open('blob.js', 'PK\u0003\u0004\u0000\u0000binary\u0000data');
      const ds = await client.pull(uri);
      assert.match(ds.map((d) => d.message).join(), /binary file/);
      await stillServes();
    });

    it('an invalid .vibeguard.json: names the file and key, the valid part still applies', async () => {
      await client.close();
      fs.writeFileSync(path.join(ws, '.vibeguard.json'), JSON.stringify({ rules: { 'sql-injection': 'warning', 'no-such-rule': 'error' }, colour: 'blue' }));
      client = new LspClient(ws);
      client.settings = { debounceMs: 20 };
      await client.initialize();
      const uri = await client.open('g.ts', PG_BAD);
      const [d] = vg(await client.pull(uri));
      assert.strictEqual(d.severity, 2, 'rules.sql-injection = warning still applies');
      const msg = client.messages.map((m) => m.message).join('\n');
      assert.match(msg, /\.vibeguard\.json: rules\.no-such-rule: unknown rule id/);
      assert.match(msg, /colour: unknown key/);
    });

    it('a .vibeguard.json that is not JSON', async () => {
      await client.close();
      fs.writeFileSync(path.join(ws, '.vibeguard.json'), '{ "rules": { ');
      client = new LspClient(ws);
      await client.initialize();
      const uri = await client.open('h.ts', PG_BAD);
      assert.strictEqual(vg(await client.pull(uri)).length, 1, 'defaults apply');
      assert.match(client.messages.map((m) => m.message).join('\n'), /\.vibeguard\.json: \(syntax\): invalid JSON/);
    });
  });

});

export type { CodeAction };
