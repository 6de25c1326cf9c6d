// Findings that depend on other files of the workspace follow those files without a reload: when
// the schema gains the index a query needs, the client's file watcher reports the change
// (workspace/didChangeWatchedFiles) and the server re-analyses the open document at once, inside
// the workspace index's freshness window.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { LspClient } from './harness/lsp';
import { ROOT } from './harness/fixtures';
import { FACT_FILES_GLOB } from '../rules/kit/model/fact-files';

const LSP_BIN = path.join(ROOT, 'bin', 'vibeguard-lsp.js');
const own = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'missing-index');
const QUERY = "const { Pool } = require('pg');\nconst pool = new Pool();\n\nexports.pending = () => pool.query('SELECT id FROM orders WHERE status = $1', ['pending']);\n";

describe('workspace facts over LSP (a schema change updates open documents)', function () {
  this.timeout(30000);
  let ws: string;
  let client: LspClient | undefined;

  beforeEach(() => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-lsp-facts-'));
    fs.writeFileSync(path.join(ws, 'package.json'), '{ "name": "shop", "dependencies": { "pg": "8.0.0" } }\n');
    fs.mkdirSync(path.join(ws, 'migrations'));
    fs.writeFileSync(path.join(ws, 'migrations', '001_orders.sql'), 'CREATE TABLE orders (id serial PRIMARY KEY, status text NOT NULL);\n');
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('a migration adding the index clears the finding; dropping it brings the finding back', async () => {
    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    await client.initialize({ pull: false, initializationOptions: { debounceMs: 0 } });
    const uri = await client.open('src/orders.js', QUERY);
    // An editor without VS Code's own file watchers is asked to watch the fact files.
    for (let i = 0; i < 50 && !client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'); i++) await new Promise((r) => setTimeout(r, 40));
    const watched = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')?.registerOptions as { watchers: { globPattern: string }[] } | undefined;
    assert.ok(watched?.watchers.some((w) => w.globPattern === FACT_FILES_GLOB), `registrations: ${JSON.stringify(client.registrations)}`);
    const first = own(await client.nextPush(uri, (ds) => own(ds).length > 0));
    assert.strictEqual(first.length, 1);
    assert.match(first[0].message, /orders\.status/);

    const migration = path.join(ws, 'migrations', '002_orders_status.sql');
    fs.writeFileSync(migration, 'CREATE INDEX orders_status_idx ON orders (status);\n');
    let since = client.pushed.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(migration).toString(), type: 1 }] });
    assert.deepStrictEqual(own(await client.nextPush(uri, undefined, since)), []);

    fs.rmSync(migration);
    since = client.pushed.length;
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(migration).toString(), type: 3 }] });
    assert.strictEqual(own(await client.nextPush(uri, (ds) => own(ds).length > 0, since)).length, 1);
  });
});
