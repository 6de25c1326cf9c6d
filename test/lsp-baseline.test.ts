// The baseline in the editor, over LSP against the built server: when .vibeguard.json names a
// baseline written by the CLI, its findings are dimmed (hint + "unnecessary" tag, quick fix still
// offered), hidden or shown per `vibeguard.baseline.mode`, and a rewritten baseline file makes
// the server ask the editor to pull diagnostics again.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-protocol';
import { project, removeProjects, requireBuild, vibeguard } from './harness/cli';
import { LspClient } from './harness/lsp';
import { TWO_QUERIES_JS } from './harness/samples';

const NEW_QUERY = "app.get('/items', (req, res) => pool.query(\"SELECT * FROM items WHERE name = '\" + req.query.name + \"'\"));\n";
const vg = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'vibeguard' && !String(d.code).startsWith('notice:'));
const known = (d: Diagnostic) => (d.data as { baseline?: boolean }).baseline === true;

describe('baseline in the editor (LSP)', function () {
  this.timeout(60_000);
  let ws: string;
  let client: LspClient;

  before(requireBuild);
  after(removeProjects);

  beforeEach(async () => {
    ws = project({ 'src/users.js': TWO_QUERIES_JS, '.vibeguard.json': JSON.stringify({ baseline: '.vibeguard-baseline.json' }) });
    // The CLI writes the baseline; the server must compute the same fingerprints to match it.
    assert.strictEqual(vibeguard(ws, 'scan', '--write-baseline', '.vibeguard-baseline.json').code, 0);
    client = new LspClient(ws);
    client.settings = { debounceMs: 20 };
    await client.initialize();
  });
  afterEach(() => client.close());

  /** The file as a developer has it now: lines added above the known findings, and a new one. */
  const edited = `// Users, orders and items.\n\n${TWO_QUERIES_JS}${NEW_QUERY}`;

  async function setMode(mode: string) {
    client.settings = { debounceMs: 20, baseline: { mode } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  it('dims the known findings (hint, unnecessary tag, marked in data) and keeps the new one an error', async () => {
    const uri = await client.open('src/users.js', edited);
    const ds = vg(await client.pull(uri));
    assert.deepStrictEqual(ds.map((d) => [d.range.start.line + 1, d.severity, known(d)]), [
      [6, DiagnosticSeverity.Hint, true], [10, DiagnosticSeverity.Hint, true], [13, DiagnosticSeverity.Error, false],
    ]);
    for (const d of ds.filter(known)) {
      assert.deepStrictEqual(d.tags, [DiagnosticTag.Unnecessary]);
      assert.match(d.message, /\(known: recorded in the baseline\)$/);
    }
    const fix = (await client.codeActions(uri, [ds[0]])).find((a) => a.title === 'Parameterize query');
    assert.ok(fix?.edit, 'a known finding can still be fixed');
  });

  it('hides them with mode "hide" and shows them as usual with "show"', async () => {
    const uri = await client.open('src/users.js', edited);
    await setMode('hide');
    assert.deepStrictEqual(vg(await client.pull(uri)).map((d) => d.range.start.line + 1), [13]);
    await setMode('show');
    const shown = vg(await client.pull(uri));
    assert.deepStrictEqual(shown.map((d) => [d.severity, known(d)]), [[1, false], [1, false], [1, false]]);
  });

  it('a rewritten baseline file asks the editor to pull again, and the new baseline applies', async () => {
    const uri = await client.open('src/users.js', edited);
    assert.strictEqual(vg(await client.pull(uri)).filter(known).length, 2);
    const refreshed = new Promise<void>((resolve) => client.conn.onRequest('workspace/diagnostic/refresh', () => { resolve(); return null; }));
    fs.writeFileSync(path.join(ws, '.vibeguard-baseline.json'), '{ "version": 1, "findings": [] }\n');
    await refreshed;
    assert.strictEqual(vg(await client.pull(uri)).filter(known).length, 0);
  });

  it('an unusable baseline leaves the findings as they are and says why in the log', async () => {
    fs.writeFileSync(path.join(ws, '.vibeguard-baseline.json'), '{ "version": 99 }');
    const uri = await client.open('src/users.js', edited);
    assert.strictEqual(vg(await client.pull(uri)).filter(known).length, 0);
    assert.ok(client.logs.some((m) => /\.vibeguard-baseline\.json: version: expected 1/.test(m)), client.logs.join('\n'));
  });
});
