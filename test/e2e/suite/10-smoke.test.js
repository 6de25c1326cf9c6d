// Generic checks that hold for any extension under test: the packaged .vsix installed by run.sh is
// what runs (not a build from the source tree) and it activates in the real extension host.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');

describe('e2e smoke: the packaged extension in the real extension host', () => {
  const id = process.env.VIBEGUARD_E2E_EXTENSION_ID;
  const dir = process.env.VIBEGUARD_E2E_EXTENSION_DIR;

  it('runs from the installed .vsix folder', () => {
    assert.ok(id && dir, 'VIBEGUARD_E2E_EXTENSION_ID / _DIR set by run.sh');
    const ext = vscode.extensions.getExtension(id);
    assert.ok(ext, `extension ${id} present`);
    assert.strictEqual(fs.realpathSync(ext.extensionPath), fs.realpathSync(dir));
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(id);
    await ext.activate();
    assert.ok(ext.isActive);
  });

  it('has the copied workspace open', () => {
    const ws = vscode.workspace.workspaceFolders;
    assert.ok(ws && ws.length === 1, 'one workspace folder');
    assert.strictEqual(fs.realpathSync(ws[0].uri.fsPath), fs.realpathSync(process.env.VIBEGUARD_E2E_WORKSPACE));
  });
});
