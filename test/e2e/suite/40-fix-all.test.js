// Fix-all, three ways a developer reaches it: the `source.fixAll.vibeguard` code action (what
// "Fix All" menus and keybindings run), `editor.codeActionsOnSave` on an explicit save, and the
// "Vibe Guard: Fix All Safe Issues in File" command. Safe fixes only, unless unsafeFixes is on.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const h = require('./helpers');

const FIX_ALL = 'source.fixAll.vibeguard';

function wholeDocument(doc) {
  return new vscode.Range(0, 0, doc.lineCount, 0);
}

describe('fix all', () => {
  afterEach(async () => {
    await h.closeAllEditors();
    await h.setSetting('vibeguard', 'unsafeFixes', undefined);
    await h.setSetting('editor', 'codeActionsOnSave', undefined);
  });

  it('source.fixAll.vibeguard applies the safe fixes and leaves the unsafe ones', async () => {
    const rel = h.copyInWorkspace('src/routes/auth.js', 'fixall');
    const { doc, uri } = await h.openInEditor(rel);
    await h.diagnosticsWhen(uri, (d) => h.ofRule(d, 'sql-injection').length === 1 && h.ofRule(d, 'hardcoded-secret').length === 1, { what: 'sql-injection and hardcoded-secret' });
    const actions = await h.codeActions(uri, wholeDocument(doc), { kind: FIX_ALL });
    const all = actions.find((a) => a.kind && a.kind.value === FIX_ALL);
    assert.ok(all && all.edit, `a ${FIX_ALL} action; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await h.applyCodeAction(all));
    await h.saveAll();
    const disk = h.readWorkspaceFile(rel);
    assert.ok(disk.includes('WHERE email = $1`, [email]'), 'the SQL is parameterized');
    assert.ok(disk.includes("'my-secret-key'"), 'the unsafe secret fix is not applied by fix-all');
    await h.diagnosticsWhen(uri, (d) => h.ofRule(d, 'sql-injection').length === 0 && h.ofRule(d, 'hardcoded-secret').length === 1, { what: 'only the hardcoded secret left' });
  });

  it('source.fixAll.vibeguard with vibeguard.unsafeFixes applies every fix', async () => {
    await h.setSetting('vibeguard', 'unsafeFixes', true);
    const rel = h.copyInWorkspace('src/routes/billing.ts', 'fixall-unsafe');
    const { doc, uri } = await h.openInEditor(rel);
    const rules = ['hardcoded-secret', 'webhook-unverified', 'webhook-not-idempotent'];
    await h.diagnosticsWhen(uri, (d) => rules.every((r) => h.ofRule(d, r).length > 0), { what: rules.join(', ') });
    const actions = await h.codeActions(uri, wholeDocument(doc), { kind: FIX_ALL });
    const all = actions.find((a) => a.kind && a.kind.value === FIX_ALL);
    assert.ok(all && all.edit, `a ${FIX_ALL} action; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await h.applyCodeAction(all));
    await h.saveAll();
    const disk = h.readWorkspaceFile(rel);
    for (const s of ['stripe.webhooks.constructEvent(', 'oncePerEvent(pool, event.id', 'idempotencyKey: `payment-intent-${orderId}`', "requireEnv('STRIPE_SECRET_KEY')"]) {
      assert.ok(disk.includes(s), `${rel} contains ${JSON.stringify(s)}:\n${disk}`);
    }
    assert.ok(fs.readFileSync(h.workspaceUri('.env').fsPath, 'utf8').includes('STRIPE_SECRET_KEY='), '.env holds the moved key');
    await h.diagnosticsWhen(uri, (d) => rules.every((r) => h.ofRule(d, r).length === 0), { what: `no ${rules.join(', ')} left` });
  });

  it('editor.codeActionsOnSave runs source.fixAll.vibeguard on an explicit save', async () => {
    await h.setSetting('editor', 'codeActionsOnSave', { [FIX_ALL]: 'explicit' });
    const rel = h.copyInWorkspace('src/routes/reports.ts', 'onsave');
    const { uri } = await h.openInEditor(rel);
    await h.diagnosticsWhen(uri, (d) => h.ofRule(d, 'connection-per-request').length === 1, { what: 'connection-per-request' });
    // Ctrl+S: the explicit save runs the save participants even on an unchanged file.
    await vscode.commands.executeCommand('workbench.action.files.save');
    const disk = await h.waitFor(() => { const t = h.readWorkspaceFile(rel); return t.includes('getAnalyticsPool()') && t; }, 15000, 'the fixed file on disk');
    assert.ok(!disk.includes('const pool = new Pool({ connectionString: process.env.ANALYTICS_DATABASE_URL, max: 5 });\n  try'), 'the per-request pool is gone');
    await h.diagnosticsWhen(uri, (d) => h.ofRule(d, 'connection-per-request').length === 0 && h.ofRule(d, 'sql-injection').length === 1, { what: 'connection-per-request fixed, the unfixable sql-injection left' });
  });

  it('"Vibe Guard: Fix All Safe Issues in File" fixes the active file', async () => {
    const rel = h.copyInWorkspace('app.py', 'fixall_cmd');
    const { doc, uri } = await h.openInEditor(rel);
    await h.diagnosticsWhen(uri, (d) => h.ofRule(d, 'sql-injection').length === 1 && h.ofRule(d, 'connection-per-request').length === 1, { what: 'sql-injection and connection-per-request' });
    const changed = h.nextTextChange(doc);
    await vscode.commands.executeCommand('vibeguard.fixAllInFile');
    await changed;
    await h.saveAll();
    const disk = h.readWorkspaceFile(rel);
    assert.ok(disk.includes('db_pool.getconn()') && disk.includes('ILIKE %s'), `both safe fixes applied:\n${disk}`);
    await h.diagnosticsWhen(uri, (d) => h.ofRule(d, 'sql-injection').length === 0 && h.ofRule(d, 'connection-per-request').length === 0 && h.ofRule(d, 'hardcoded-secret').length === 1, { what: 'only the unsafe secret left' });
  });
});
