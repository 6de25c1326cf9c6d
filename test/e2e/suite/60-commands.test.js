// Triage and control: the rule documentation reached from a diagnostic's code link, the
// contributed commands, settings and walkthrough of the installed package.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const ext = () => vscode.extensions.getExtension(process.env.VIBEGUARD_E2E_EXTENSION_ID);

describe('triage and control', () => {
  afterEach(() => h.closeAllEditors());

  it("a diagnostic's code link opens the rule documentation shipped in the extension", async () => {
    const { uri } = await h.openInEditor('src/routes/auth.js');
    const [d] = await h.diagnosticsWhen(uri, (x) => h.ofRule(x, 'sql-injection').length === 1, { what: 'sql-injection' }).then((x) => h.ofRule(x, 'sql-injection'));
    const target = d.code.target;
    assert.strictEqual(target.scheme, 'command', `code link is a command link: ${target}`);
    assert.strictEqual(target.path, 'vibeguard.showRuleDocumentation');
    // What VS Code does when the link is clicked in the Problems panel or the hover.
    const args = JSON.parse(decodeURIComponent(target.query));
    const shown = await vscode.commands.executeCommand(target.path, ...args);
    assert.strictEqual(shown, 'sql-injection');
    await h.waitFor(() => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab && /sql-injection/.test(tab.label) && tab.input instanceof vscode.TabInputWebview;
    }, 15000, 'the Markdown preview of sql-injection.md');
    assert.ok(fs.existsSync(path.join(ext().extensionPath, 'docs', 'rules', 'sql-injection.md')));
  });

  it('Show Rule Documentation without an argument documents the finding under the cursor', async () => {
    const { editor, uri } = await h.openInEditor('src/routes/reports.ts');
    const d = await h.diagnosticsWhen(uri, (x) => h.ofRule(x, 'connection-per-request').length === 1, { what: 'connection-per-request' }).then((x) => h.ofRule(x, 'connection-per-request')[0]);
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    assert.strictEqual(await vscode.commands.executeCommand('vibeguard.showRuleDocumentation'), 'connection-per-request');
  });

  it('contributes its commands, documented settings and a walkthrough whose media ship in the package', async () => {
    const pkg = ext().packageJSON;
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const c of pkg.contributes.commands) assert.ok(registered.has(c.command), `${c.command} is registered`);
    for (const want of ['vibeguard.scanWorkspace', 'vibeguard.fixAllInFile', 'vibeguard.showRuleDocumentation', 'vibeguard.showOutput']) {
      assert.ok(pkg.contributes.commands.some((c) => c.command === want), `${want} contributed`);
    }
    const props = pkg.contributes.configuration.properties;
    for (const key of ['vibeguard.enable', 'vibeguard.rules', 'vibeguard.unsafeFixes', 'vibeguard.acceptedCode.minLines', 'vibeguard.acceptedCode.minChars', 'vibeguard.trace.server']) {
      assert.ok(props[key], `${key} contributed`);
      assert.ok((props[key].description || props[key].markdownDescription || '').length > 20, `${key} has a description`);
    }
    const [walk] = pkg.contributes.walkthroughs;
    assert.ok(walk && walk.steps.length >= 4, 'a walkthrough with steps');
    for (const s of walk.steps) {
      const media = s.media.image || s.media.markdown;
      assert.ok(fs.existsSync(path.join(ext().extensionPath, media)), `walkthrough media ${media} is in the package`);
    }
    await vscode.commands.executeCommand('vibeguard.showOutput');
  });
});
