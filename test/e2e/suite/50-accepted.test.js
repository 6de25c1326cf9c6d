// Accepting a suggestion triggers analysis at once. A completion-sized block inserted in one change
// (through the editor API, a snippet, and VS Code's own inline-suggestion accept command) gets its
// findings without the typing debounce, marked as coming from just-inserted code; a one-character
// edit waits for the debounce. Times from the change to the diagnostics go to timings.json.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const h = require('./helpers');

const BASE = `import express from 'express';
import jwt from 'jsonwebtoken';
import { pool } from '../db';

export const ordersRouter = express.Router();

// Session tokens for the orders dashboard.
export const sign = (user: { id: string }) => jwt.sign({ sub: user.id }, 'my-secret-key');

// Orders of the signed-in customer, filtered by status.
ordersRouter.get('/orders', async (req, res) => {

});
`;
// What an assistant proposes for the empty line inside the handler (line 12).
const BLOCK = `  const { status } = req.query;
  const result = await pool.query(\`SELECT * FROM orders WHERE status = '\${status}'\`);
  res.json(result.rows);`;
const HOLE = new vscode.Position(11, 0);
const ACCEPTED = 'inserted just now';
const ROUNDS = 5;

const sqlFinding = (d) => d.find((x) => h.ruleOf(x) === 'sql-injection');
const markedAccepted = (d) => {
  const x = sqlFinding(d);
  return Boolean(x && (x.relatedInformation || []).some((r) => r.message.includes(ACCEPTED)));
};

async function freshFile(name) {
  const rel = `src/routes/${name}.ts`;
  fs.writeFileSync(h.workspaceUri(rel).fsPath, BASE);
  const opened = await h.openInEditor(rel);
  // The first analysis (on open) reports the baseline finding: the file is live.
  await h.diagnosticsWhen(opened.uri, (d) => h.ofRule(d, 'hardcoded-secret').length === 1, { what: 'the baseline finding' });
  return opened;
}

/** Runs `insert`, then measures from the document change to the accepted-code finding. */
async function timeToAcceptedFinding(doc, uri, insert) {
  const changed = h.nextTextChange(doc, 20000);
  const found = h.diagnosticsWhen(uri, markedAccepted, { ms: 20000, what: 'a sql-injection finding marked as just inserted' }).then(() => Date.now());
  await insert();
  const { at, event } = await changed;
  const ms = (await found) - at;
  return { ms, changes: event.contentChanges.length };
}

/** Removes the block again and waits until its finding is gone. */
async function removeBlock(editor, uri) {
  const doc = editor.document;
  const text = doc.getText();
  const start = text.indexOf(BLOCK.split('\n')[0]);
  const end = text.indexOf(BLOCK.split('\n').pop()) + BLOCK.split('\n').pop().length;
  await editor.edit((e) => e.delete(new vscode.Range(doc.positionAt(start), doc.positionAt(end))));
  await h.diagnosticsWhen(uri, (d) => !sqlFinding(d), { what: 'the block finding gone' });
}

describe('accepted suggestions are analysed at once', () => {
  after(async () => {
    await h.closeAllEditors();
    await h.setSetting('vibeguard', 'debounceMs', undefined);
  });

  it('a block inserted with editor.edit: finding marked as just inserted, time recorded', async () => {
    const { doc, editor, uri } = await freshFile('accepted-edit');
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r = await timeToAcceptedFinding(doc, uri, () => editor.edit((e) => e.insert(HOLE, BLOCK)));
      assert.strictEqual(r.changes, 1, 'one change, as an accepted completion makes');
      times.push(r.ms);
      const d = sqlFinding(h.vibeguardDiagnostics(uri));
      assert.strictEqual(h.lineOf(d), 13, 'the finding is inside the inserted block');
      assert.ok(!(h.ofRule(h.vibeguardDiagnostics(uri), 'hardcoded-secret')[0].relatedInformation || []).length, 'the old finding is not marked');
      if (i === 0) {
        // The status bar flash points at it: its command reveals the finding.
        await vscode.commands.executeCommand('vibeguard.goToAcceptedFinding');
        assert.strictEqual(vscode.window.activeTextEditor.selection.start.line, d.range.start.line, 'goToAcceptedFinding selects the finding');
      }
      await removeBlock(editor, uri);
    }
    h.recordTiming('accepted.editorEdit', h.stats(times));
  });

  it('a block inserted as a snippet', async () => {
    const { doc, editor, uri } = await freshFile('accepted-snippet');
    const times = [];
    for (let i = 0; i < 3; i++) {
      const r = await timeToAcceptedFinding(doc, uri, () => editor.insertSnippet(new vscode.SnippetString().appendText(BLOCK), HOLE));
      times.push(r.ms);
      await removeBlock(editor, uri);
    }
    h.recordTiming('accepted.insertSnippet', h.stats(times));
  });

  it('an inline suggestion accepted with editor.action.inlineSuggest.commit', async function () {
    const { doc, editor, uri } = await freshFile('accepted-inline');
    let asked;
    let askedPromise = new Promise((r) => { asked = r; });
    const provider = vscode.languages.registerInlineCompletionItemProvider({ pattern: '**/accepted-inline.ts' }, {
      provideInlineCompletionItems(document, position) {
        if (document !== doc || position.line !== HOLE.line) return [];
        asked();
        return [new vscode.InlineCompletionItem(BLOCK, new vscode.Range(position, position))];
      },
    });
    const times = [];
    try {
      for (let i = 0; i < 3; i++) {
        editor.selection = new vscode.Selection(HOLE, HOLE);
        await vscode.window.showTextDocument(doc, { preserveFocus: false });
        const r = await timeToAcceptedFinding(doc, uri, async () => {
          await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
          await askedPromise;
          // The ghost text shows a moment after the provider answered; commit is a no-op until then.
          await h.waitFor(async () => {
            await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
            return doc.getText().includes(BLOCK);
          }, 10000, 'the inline suggestion to be committed');
        });
        times.push(r.ms);
        askedPromise = new Promise((res) => { asked = res; });
        await removeBlock(editor, uri);
      }
    } finally {
      provider.dispose();
    }
    h.recordTiming('accepted.inlineSuggestCommit', h.stats(times));
  });

  it('skips the typing debounce: with debounceMs 1500 a typed character waits, a block does not', async () => {
    await h.setSetting('vibeguard', 'debounceMs', 1500);
    const { doc, editor, uri } = await freshFile('accepted-debounce');
    const typed = [];
    const block = [];
    for (let i = 0; i < 2; i++) {
      // One character typed into the comment above the handler.
      const next = h.nextDiagnosticsChange(uri, { ms: 20000 });
      const changed = h.nextTextChange(doc);
      await editor.edit((e) => e.insert(new vscode.Position(9, 3), 'x'));
      const { at } = await changed;
      typed.push((await next).at - at);
      block.push((await timeToAcceptedFinding(doc, uri, () => editor.edit((e) => e.insert(HOLE, BLOCK)))).ms);
      await removeBlock(editor, uri);
    }
    h.recordTiming('debounce1500.typedChar', h.stats(typed));
    h.recordTiming('debounce1500.block', h.stats(block));
    assert.ok(Math.min(...typed) >= 1400, `a typed character waits for the debounce (${typed} ms)`);
    assert.ok(Math.max(...block) < Math.min(...typed), `a block is analysed before the debounce would end (${block} ms vs ${typed} ms)`);
  });
});
