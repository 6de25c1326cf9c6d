// run.sh --selfcheck: prepares, in a temp folder, everything needed to check this harness against
// the shared recipe's demo extension (a language client + server that flags TODO in *.todo files):
//
//   <dest>/ext            copy of the demo, with two additions to its server so that every path
//                         the ui driver supports is exercised: a second, non-preferred quick fix
//                         ("Replace TODO with FIXME", picked from the menu with the arrow keys) and
//                         a source.fixAll.tododemo action (for editor.codeActionsOnSave)
//   <dest>/workspace      the folder opened in code-server (one file nested two levels deep)
//   <dest>/ui-spec.json   three ui checks: preferred quick fix, second quick fix, fix all on save
//   <dest>/suite          the demo's mocha test, this repo's smoke.test.js and a test of helpers.js
//
//   node prepare.js <demo extension folder> <dest>
'use strict';
const fs = require('fs');
const path = require('path');

const [demo, dest] = process.argv.slice(2);
if (!demo || !dest) { console.error('usage: node prepare.js <demo extension folder> <dest>'); process.exit(2); }
const suiteDir = path.join(__dirname, '..', 'suite');
const w = (rel, text) => { const f = path.join(dest, rel); fs.mkdirSync(path.dirname(f), { recursive: true }); fs.writeFileSync(f, text); };

// ---- the demo extension, copied without build output or dependencies
fs.cpSync(demo, path.join(dest, 'ext'), {
  recursive: true,
  filter: (src) => !/(^|\/)(node_modules|dist)(\/|$)|\.vsix$/.test(path.relative(demo, src)),
});
// The recipe's files are read-only; the copies must be writable.
const chmod = (p) => { fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644); if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chmod(path.join(p, e)); };
chmod(path.join(dest, 'ext'));

const serverFile = path.join(dest, 'ext', 'src', 'server.js');
let server = fs.readFileSync(serverFile, 'utf8');
const patch = (from, to) => {
  if (!server.includes(from)) { console.error(`prepare.js: demo server.js changed, cannot find:\n${from}`); process.exit(1); }
  server = server.replace(from, to);
};
patch('codeActionKinds: [CodeActionKind.QuickFix]', "codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.tododemo']");
patch('connection.onCodeAction((params) => {\n', `connection.onCodeAction((params) => {
  // selfcheck addition: fix all TODOs of the document when asked for source.fixAll (on save).
  const only = params.context.only || [];
  if (only.some((k) => k.startsWith('source') && 'source.fixAll.tododemo'.startsWith(k))) {
    const doc = documents.get(params.textDocument.uri);
    const edits = [];
    const re = /\\bTODO\\b/g;
    let m;
    while (doc && (m = re.exec(doc.getText()))) edits.push(TextEdit.replace({ start: doc.positionAt(m.index), end: doc.positionAt(m.index + 4) }, 'DONE'));
    connection.console.log(\`codeAction fixAll \${params.textDocument.uri} -> \${edits.length} edit(s)\`);
    return edits.length ? [{ title: 'Fix all TODOs', kind: 'source.fixAll.tododemo', edit: { changes: { [params.textDocument.uri]: edits } } }] : [];
  }
`);
patch("edit: { changes: { [params.textDocument.uri]: [TextEdit.replace(d.range, 'DONE')] } },\n    });\n", `edit: { changes: { [params.textDocument.uri]: [TextEdit.replace(d.range, 'DONE')] } },
    });
    // selfcheck addition: a second, non-preferred fix.
    actions.push({
      title: 'Replace TODO with FIXME',
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: { changes: { [params.textDocument.uri]: [TextEdit.replace(d.range, 'FIXME')] } },
    });
`);
fs.writeFileSync(serverFile, server);

// ---- workspace
w('workspace/sample.todo', 'TODO: make the UI test pass\nsecond line\n');
w('workspace/pick.todo', 'first line\n  TODO: pick the second fix\n');
w('workspace/nested/deeper/onsave.todo', 'TODO one\nno problem here\nTODO two\n');
w('workspace/mocha.todo', 'TODO: fixed by the mocha test\n');
w('workspace/helpers.todo', 'TODO: found by helpers.js\n');

// ---- ui spec
const problem = 'TODO found: replace it with DONE';
w('ui-spec.json', JSON.stringify([
  { name: 'preferred quick fix', file: 'sample.todo', problem, severity: 'warning', line: 1,
    quickFix: 'Replace TODO with DONE', expectOnDisk: 'DONE: make the UI test pass\nsecond line\n', notOnDisk: 'TODO' },
  { name: 'second quick fix', file: 'pick.todo', problem, line: 2,
    quickFix: 'Replace TODO with FIXME', expectOnDisk: '  FIXME: pick the second fix', notOnDisk: 'TODO' },
  { name: 'fix all on save', file: 'nested/deeper/onsave.todo', problem,
    codeActionsOnSave: { 'source.fixAll.tododemo': 'explicit' }, expectOnDisk: ['DONE one', 'DONE two'], notOnDisk: 'TODO' },
], null, 2));

// ---- mocha suite (run by the repo's suite/index.js with VIBEGUARD_E2E_SUITE_DIR pointing here)
fs.mkdirSync(path.join(dest, 'suite'), { recursive: true });
fs.copyFileSync(path.join(dest, 'ext', 'test', 'todo.test.js'), path.join(dest, 'suite', 'todo.test.js'));
fs.copyFileSync(path.join(suiteDir, 'smoke.test.js'), path.join(dest, 'suite', 'smoke.test.js'));
w('suite/helpers.test.js', `'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { diagnostics, codeActions, workspaceUri, waitFor } = require(${JSON.stringify(path.join(suiteDir, 'helpers.js'))});

describe('suite/helpers.js', () => {
  it('finds the diagnostic, both quick fixes and applies the second', async () => {
    const uri = workspaceUri('helpers.todo');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [d] = await diagnostics(uri, 'tododemo');
    assert.strictEqual(d.message, ${JSON.stringify(problem)});
    const actions = await codeActions(uri, d.range, { title: 'Replace TODO with FIXME' });
    assert.deepStrictEqual(actions.map((a) => a.title), ['Replace TODO with DONE', 'Replace TODO with FIXME']);
    assert.ok(await vscode.workspace.applyEdit(actions[1].edit));
    assert.ok(await doc.save());
    assert.match(fs.readFileSync(uri.fsPath, 'utf8'), /^FIXME: found/);
    await waitFor(() => vscode.languages.getDiagnostics(uri).length === 0, 10000, 'diagnostics to clear');
  });
});
`);
console.log(`[selfcheck] prepared ${dest}`);
