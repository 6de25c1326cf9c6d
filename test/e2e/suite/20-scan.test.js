// "Vibe Guard: Scan Workspace" on the sample app, before any file is opened: every finding of
// sample-app/expected-findings.json reaches the Problems panel (diagnostics of files no editor
// shows), none of its look-alikes does, ignored files stay silent, and opening a scanned file swaps
// the scan's diagnostics for the live ones without duplicates.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const expected = JSON.parse(fs.readFileSync(h.workspaceUri('expected-findings.json').fsPath, 'utf8'));

describe('Scan Workspace', () => {
  // A finding in a gitignored folder and one in a folder the configuration ignores: the scan must skip both.
  const planted = ['node_modules/leftpad/index.js', 'generated/client.js'];
  const secretLine = "const jwt = require('jsonwebtoken');\nmodule.exports = (u) => jwt.sign(u, 'a-hardcoded-signing-secret');\n";

  before(() => {
    for (const rel of planted) {
      fs.mkdirSync(path.dirname(h.workspaceUri(rel).fsPath), { recursive: true });
      fs.writeFileSync(h.workspaceUri(rel).fsPath, secretLine);
    }
    fs.writeFileSync(h.workspaceUri('.vibeguard.json').fsPath, JSON.stringify({ ignore: ['generated/**'] }, null, 2));
  });

  it('reports every expected finding of the sample app in files never opened, and none of the look-alikes', async () => {
    assert.strictEqual(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && /\.(js|ts|py)$/.test(d.uri.fsPath)).length, 0, 'no source file is open yet');
    const t0 = Date.now();
    const result = await vscode.commands.executeCommand('vibeguard.scanWorkspace');
    const ms = Date.now() - t0;
    assert.ok(result, 'the command returns the scan result');
    assert.strictEqual(result.cancelled, false);
    const files = [...new Set(expected.findings.map((f) => f.file))];
    h.recordTiming('scanWorkspace', { ms, files: result.files, findings: result.findings });

    for (const f of expected.findings) {
      const uri = h.workspaceUri(f.file);
      // Pushed diagnostics may still be on their way when the request returns.
      await h.diagnosticsWhen(uri, (d) => d.some((x) => h.ruleOf(x) === f.rule && h.lineOf(x) === f.line), { ms: 10000, what: `${f.rule} on line ${f.line}` });
    }
    for (const f of expected.mustNotFlag) {
      const hit = h.vibeguardDiagnostics(h.workspaceUri(f.file)).filter((x) => h.ruleOf(x) === f.rule && h.lineOf(x) === f.line);
      assert.deepStrictEqual(hit.map(h.describe), [], `${f.file}:${f.line} must not be flagged by ${f.rule} (${f.why})`);
    }
    let total = 0;
    for (const file of files) total += h.vibeguardDiagnostics(h.workspaceUri(file)).length;
    assert.strictEqual(total, expected.findings.length, 'exactly the expected findings in the sample files');
    for (const rel of planted) assert.deepStrictEqual(h.vibeguardDiagnostics(h.workspaceUri(rel)).map(h.describe), [], `${rel} is ignored`);
    assert.ok(result.findings >= expected.findings.length, `result counts ${result.findings} findings`);
  });

  it('swaps the scan results of a file for live ones when it is opened, and brings them back when it closes', async () => {
    const rel = 'app.py';
    const want = expected.findings.filter((f) => f.file === rel).length;
    const { uri } = await h.openInEditor(rel);
    // Pulled diagnostics replace the pushed ones: the count never doubles, and settles at `want`.
    let max = 0;
    const sub = vscode.languages.onDidChangeDiagnostics(() => { max = Math.max(max, h.vibeguardDiagnostics(uri).length); });
    try {
      await h.diagnosticsWhen(uri, (d) => d.length === want, { what: `${want} findings` });
      // Edit so the live analysis (not the scan) must answer: the finding on the changed line stays.
      const editor = vscode.window.activeTextEditor;
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# edited\n'));
      await h.diagnosticsWhen(uri, (d) => d.length === want && d.every((x) => expected.findings.some((f) => f.file === rel && f.rule === h.ruleOf(x) && f.line + 1 === h.lineOf(x))), { what: 'findings moved one line down' });
      assert.ok(max <= want, `never more than ${want} findings at once (saw ${max})`);
      const atScannedLines = (d) => d.length === want && d.every((x) => expected.findings.some((f) => f.file === rel && f.rule === h.ruleOf(x) && f.line === h.lineOf(x)));
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await h.diagnosticsWhen(uri, atScannedLines, { what: 'the findings back on their lines after the revert' });
      const closing = h.nextDiagnosticsChange(uri);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await closing;
      // Closed: the live findings went with the editor; the published ones (kept current by
      // every live analysis) show again, once.
      await h.diagnosticsWhen(uri, atScannedLines, { what: 'the scanned findings after closing' });
      assert.ok(max <= want, `never more than ${want} findings at once (saw ${max})`);
    } finally {
      sub.dispose();
    }
  });
});
