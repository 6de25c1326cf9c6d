// The language model tool agent mode calls (`vibeguard_scan`, contributed through
// `languageModelTools`): registered in vscode.lm.tools, and vscode.lm.invokeTool returns the
// findings of the files named, from disk and from an open document's unsaved text.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const TOOL = 'vibeguard_scan';
const expected = JSON.parse(fs.readFileSync(path.join(process.env.VIBEGUARD_E2E_WORKSPACE, 'expected-findings.json'), 'utf8'));

async function invoke(input) {
  const result = await vscode.lm.invokeTool(TOOL, { input, toolInvocationToken: undefined });
  return result.content.filter((p) => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('');
}

/** `path:line:column severity rule:` per finding line of the tool's answer. */
const findingsIn = (text) => [...text.matchAll(/^(\S+):(\d+):\d+ \w+ ([a-z-]+): /gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);

describe('e2e language model tool (vibeguard_scan through vscode.lm.invokeTool)', () => {
  before(async () => {
    await vscode.extensions.getExtension(process.env.VIBEGUARD_E2E_EXTENSION_ID).activate();
  });

  it('is registered for language models with its input schema', () => {
    const tool = vscode.lm.tools.find((t) => t.name === TOOL);
    assert.ok(tool, `vscode.lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
    assert.deepStrictEqual(Object.keys(tool.inputSchema.properties), ['paths']);
    assert.match(tool.description, /Call it with the paths of the files you created or changed/);
    assert.ok(tool.tags.includes('vibeguard'));
  });

  it('returns the findings of the files named, as the sample expects them', async () => {
    const files = ['src/routes/auth.js', 'src/routes/billing.ts', 'app.py'];
    const t0 = Date.now();
    const text = await invoke({ paths: files });
    h.recordTiming('lm tool: 3 files (ms)', Date.now() - t0);
    const want = expected.findings.filter((f) => files.includes(f.file)).map((f) => `${f.file}:${f.line} ${f.rule}`).sort();
    assert.ok(want.length >= 3, 'the sample has findings in these files');
    assert.deepStrictEqual(findingsIn(text).sort(), want, text);
    assert.match(text, /^Vibe Guard: \d+ problems in 3 files\./);
    assert.match(text, /Fix: "Parameterize query" \(safe\)\./);
  });

  it('reads an open document\'s unsaved edits; with no paths, checks the files with unsaved changes', async () => {
    const rel = h.copyInWorkspace('src/db.js', 'lmtool');
    const { doc, editor } = await h.openInEditor(rel);
    assert.deepStrictEqual(findingsIn(await invoke({ paths: [rel] })), []);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((e) => e.insert(end, "\nexports.find = (req) => pool.query(`SELECT * FROM t WHERE id = ${req.params.id}`);\n"));
    assert.ok(doc.isDirty);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('exports.find')) + 1;
    assert.deepStrictEqual(findingsIn(await invoke({})), [`${rel}:${line} sql-injection`]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
