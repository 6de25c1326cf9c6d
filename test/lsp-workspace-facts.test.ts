// Findings that depend on other files of the workspace follow those files without a reload: when
// the schema gains the index a query needs, the lockfile moves a library to a version without an
// API, or a manifest scales the app to several replicas, the client's file watcher reports the
// change (workspace/didChangeWatchedFiles) and the server re-analyses the open document at once,
// inside the workspace index's freshness window.
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

describe('workspace facts over LSP (a schema, lockfile or manifest change updates open documents)', function () {
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

  /** Writes a fact file, tells the server, and returns the open document's next findings of `rule`. */
  async function changeFact(uri: string, rel: string, text: string, rule: string, until: (n: number) => boolean): Promise<Diagnostic[]> {
    const file = path.join(ws, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const existed = fs.existsSync(file);
    fs.writeFileSync(file, text);
    const since = client!.pushed.length;
    await client!.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(file).toString(), type: existed ? 2 : 1 }] });
    return (await client!.nextPush(uri, (ds) => until(ds.filter((d) => d.code === rule).length), since)).filter((d) => d.code === rule);
  }

  const lock = (express: string) => JSON.stringify({ name: 'shop', lockfileVersion: 3, packages: { '': { dependencies: { express: '*' } }, 'node_modules/express': { version: express } } }, null, 2);

  it('a lockfile moving express to 5 reports the API it removed; moving back clears it', async () => {
    fs.writeFileSync(path.join(ws, 'package.json'), '{ "name": "shop", "dependencies": { "express": "*" } }\n');
    fs.writeFileSync(path.join(ws, 'package-lock.json'), lock('4.21.2'));
    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    await client.initialize({ pull: false, initializationOptions: { debounceMs: 0 } });
    const text = "const express = require('express');\nconst app = express();\n\napp.del('/carts/:id', (req, res) => res.sendStatus(204));\n\napp.listen(3000);\n";
    const uri = await client.open('src/app.js', text);
    const first = await client.nextPush(uri);
    assert.deepStrictEqual(first.filter((d) => d.code === 'outdated-api'), []);
    const upgraded = await changeFact(uri, 'package-lock.json', lock('5.1.0'), 'outdated-api', (n) => n > 0);
    assert.strictEqual(upgraded.length, 1);
    assert.match(upgraded[0].message, /5\.1\.0/);
    assert.deepStrictEqual(await changeFact(uri, 'package-lock.json', lock('4.21.2'), 'outdated-api', (n) => n === 0), []);
  });

  const deployment = (replicas: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: billing\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: billing\n          image: registry.example.com/billing:1.0.0\n`;

  it('a manifest scaling the app to three replicas reports its in-process cron job; back to one clears it', async () => {
    fs.writeFileSync(path.join(ws, 'package.json'), '{ "name": "billing", "main": "server.js", "dependencies": { "express": "^4.21.0", "node-cron": "^3.0.3", "pg": "^8.12.0" } }\n');
    fs.mkdirSync(path.join(ws, 'k8s'));
    fs.writeFileSync(path.join(ws, 'k8s', 'app.yaml'), deployment(1));
    client = new LspClient(ws, [LSP_BIN, '--stdio']);
    await client.initialize({ pull: false, initializationOptions: { debounceMs: 0 } });
    const text = "const express = require('express');\nconst cron = require('node-cron');\nconst { Pool } = require('pg');\n\nconst pool = new Pool();\nconst app = express();\n\ncron.schedule('0 9 * * *', async () => {\n  await pool.query('DELETE FROM sessions WHERE expires_at < now()');\n});\n\napp.listen(3000);\n";
    const uri = await client.open('server.js', text);
    const first = await client.nextPush(uri);
    assert.deepStrictEqual(first.filter((d) => d.code === 'duplicated-scheduler'), []);
    const scaled = await changeFact(uri, 'k8s/app.yaml', deployment(3), 'duplicated-scheduler', (n) => n > 0);
    assert.strictEqual(scaled.length, 1);
    assert.match(scaled[0].message, /3/);
    assert.deepStrictEqual(await changeFact(uri, 'k8s/app.yaml', deployment(1), 'duplicated-scheduler', (n) => n === 0), []);
  });
});
