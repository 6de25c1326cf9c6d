// The language server as editors other than VS Code run it (`vibeguard-lsp --stdio`, `vibeguard lsp
// --stdio`): clients that do not pull diagnostics get them pushed; settings come from
// initializationOptions and workspace/didChangeConfiguration as well as workspace/configuration.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './harness/lsp';
import { ROOT } from './harness/fixtures';
import { PG_ROUTE as PG_BAD, PG_ROUTE_FIXED } from './harness/samples';


const LSP_BIN = path.join(ROOT, 'bin', 'vibeguard-lsp.js');
const CLI_BIN = path.join(ROOT, 'bin', 'vibeguard.js');
const findings = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'vibeguard' && !String(d.code).startsWith('notice:'));
const hasFinding = (ds: Diagnostic[]) => findings(ds).length > 0;

describe('language server for other editors (pushed diagnostics, pushed settings)', function () {
  this.timeout(30000);
  let ws: string;
  let client: LspClient | undefined;

  beforeEach(() => { ws = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-lsp-push-')); });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('vibeguard-lsp pushes diagnostics to a client without pull support, and the quick fix works on them', async () => {
    client = new LspClient(ws, [LSP_BIN]);
    await client.initialize({ pull: false, initializationOptions: { debounceMs: 0 } });
    const uri = await client.open('src/users.js', PG_BAD);
    const [d] = findings(await client.nextPush(uri, hasFinding));
    assert.strictEqual(d.code, 'sql-injection');
    assert.strictEqual(d.range.start.line, 3);
    const fix = (await client.codeActions(uri, [d])).find((a) => a.title === 'Parameterize query');
    assert.ok(fix?.edit, 'the pushed diagnostic carries what its quick fix needs');
    const since = client.pushed.length;
    await client.apply(fix.edit, uri);
    assert.deepStrictEqual(findings(await client.nextPush(uri, undefined, since)), []);
    assert.strictEqual(client.text(uri), PG_ROUTE_FIXED);
  });

  it('vibeguard lsp --stdio is the same server; closing a document clears its pushed diagnostics', async () => {
    client = new LspClient(ws, [CLI_BIN, 'lsp', '--stdio']);
    await client.initialize({ pull: false });
    const uri = await client.open('a.js', PG_BAD);
    await client.nextPush(uri, hasFinding);
    const since = client.pushed.length;
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepStrictEqual(await client.nextPush(uri, undefined, since), []);
  });

  it('takes settings from initializationOptions when the client has no workspace/configuration', async () => {
    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    await client.initialize({ pull: false, configuration: false, initializationOptions: { rules: { 'sql-injection': 'warning' } } });
    const uri = await client.open('a.js', PG_BAD);
    const [d] = findings(await client.nextPush(uri, hasFinding));
    assert.strictEqual(d.severity, 2, 'warning, as initializationOptions says');
  });

  it('applies settings sent with workspace/didChangeConfiguration and pushes the new diagnostics', async () => {
    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    await client.initialize({ pull: false, configuration: false });
    const uri = await client.open('a.js', PG_BAD);
    assert.strictEqual(findings(await client.nextPush(uri, hasFinding))[0].severity, 1);
    let since = client.pushed.length;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { vibeguard: { rules: { 'sql-injection': 'off' } } } });
    assert.deepStrictEqual(findings(await client.nextPush(uri, undefined, since)), []);
    since = client.pushed.length;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { vibeguard: { rules: { 'sql-injection': 'info' } } } });
    assert.strictEqual(findings(await client.nextPush(uri, hasFinding, since))[0].severity, 3);
  });

  it('workspace/configuration answers override initializationOptions, which fill what it leaves out', async () => {
    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    client.settings = {};
    await client.initialize({ pull: false, initializationOptions: { vibeguard: { rules: { 'sql-injection': 'warning' } } } });
    const uri = await client.open('a.js', PG_BAD);
    assert.strictEqual(findings(await client.nextPush(uri, hasFinding))[0].severity, 2);
    await client.close();

    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    client.settings = { rules: { 'sql-injection': 'info' } };
    await client.initialize({ pull: false, initializationOptions: { vibeguard: { rules: { 'sql-injection': 'warning' } } } });
    const uri2 = await client.open('a.js', PG_BAD);
    assert.strictEqual(findings(await client.nextPush(uri2, hasFinding))[0].severity, 3);
  });

  it('a client that pulls gets no pushes for the documents it pulls', async () => {
    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    client.settings = { debounceMs: 0 };
    await client.initialize();
    const uri = await client.open('a.js', PG_BAD);
    assert.strictEqual(findings(await client.pull(uri)).length, 1);
    // A request answered after the pull proves the server has handled everything sent before it.
    await client.codeActions(uri, []);
    assert.deepStrictEqual(client.pushed.filter((p) => p.uri === uri), []);
  });

  it('keeps serving after a request about a document it never saw and a malformed notification', async () => {
    client = new LspClient(ws, [LSP_BIN]);
    await client.initialize({ pull: false });
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: 'not an object' });
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere.js', version: 2 }, contentChanges: [{ text: 'x' }] });
    assert.deepStrictEqual(await client.codeActions('file:///nowhere.js', []), []);
    const uri = await client.open('a.js', PG_BAD);
    assert.ok(hasFinding(await client.nextPush(uri, hasFinding)));
  });
});
