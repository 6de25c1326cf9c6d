// Helpers for the suites run by index.js in the real extension host. Not a test file itself.
// Diagnostics are awaited through vscode.languages.onDidChangeDiagnostics, never by sleeping.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const SOURCE = 'vibeguard';

// Polls pred (sync or async) every 50 ms until it returns a truthy value; throws after ms. Only for
// state VS Code raises no event for (a file on disk, a command that may answer [] at first).
async function waitFor(pred, ms, what) {
  const t0 = Date.now();
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timeout after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The workspace-relative file as a Uri in the (copied) workspace the editor was opened on.
function workspaceUri(rel) {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, ...rel.split('/'));
}

function vibeguardDiagnostics(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/**
 * Resolves with the Vibe Guard diagnostics of `uri` once `pred(diagnostics)` holds: checked now and
 * on every onDidChangeDiagnostics event that names the file. Rejects after `ms` with what was seen.
 */
function diagnosticsWhen(uri, pred, { ms = 30000, what = 'a diagnostics change' } = {}) {
  const key = uri.toString();
  return new Promise((resolve, reject) => {
    let sub;
    const finish = (fn, v) => { clearTimeout(timer); if (sub) sub.dispose(); fn(v); };
    const check = () => {
      const d = vibeguardDiagnostics(uri);
      if (pred(d)) { finish(resolve, d); return true; }
      return false;
    };
    const timer = setTimeout(() => {
      const seen = vibeguardDiagnostics(uri).map(describe);
      finish(reject, new Error(`timeout after ${ms} ms waiting for ${what} on ${path.basename(uri.fsPath)}; it has ${JSON.stringify(seen)}`));
    }, ms);
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    check();
  });
}

/** The next diagnostics change of `uri` (whatever it holds), with the time it arrived. */
function nextDiagnosticsChange(uri, { ms = 30000 } = {}) {
  const key = uri.toString();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no diagnostics change on ${path.basename(uri.fsPath)} within ${ms} ms`)); }, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === key)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve({ at: Date.now(), diagnostics: vibeguardDiagnostics(uri) });
    });
  });
}

function diagnostics(uri, source = SOURCE, { min = 1, ms = 30000 } = {}) {
  if (source !== SOURCE) {
    return waitFor(() => { const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === source); return d.length >= min ? d : null; }, ms, `${min} ${source} diagnostic(s)`);
  }
  return diagnosticsWhen(uri, (d) => d.length >= min, { ms, what: `${min} diagnostic(s)` });
}

const ruleOf = (d) => String(typeof d.code === 'object' && d.code ? d.code.value : d.code);
const lineOf = (d) => d.range.start.line + 1;
const ofRule = (list, rule) => list.filter((d) => ruleOf(d) === rule);
const describe = (d) => `${lineOf(d)}:${d.range.start.character + 1} ${ruleOf(d)} ${d.message.slice(0, 80)}`;

// Code actions for a range. VS Code occasionally returns [] although the language server answered,
// so ask until one with a title starting with `title` (or any, without a title) is offered.
function codeActions(uri, range, { kind = vscode.CodeActionKind.QuickFix.value, title, ms = 15000 } = {}) {
  return waitFor(async () => {
    // The request is cancelled when the document changes meanwhile (or the host is busy): ask again.
    const a = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, kind).then(undefined, (e) => {
      if (/Canceled/.test(String(e && e.message))) return null;
      throw e;
    });
    if (!a || a.length === 0) return null;
    return !title || a.some((x) => x.title.startsWith(title)) ? a : null;
  }, ms, `code action ${title ? `"${title}"` : kind} on ${path.basename(uri.fsPath)}`);
}

// The sample's files as they were before any test ran (this module loads with the test files,
// before the first test): copies start from these, whatever an earlier test did to the originals.
const pristine = new Map();
(function snapshot(dir, rel) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) snapshot(path.join(dir, e.name), r);
    else if (/\.(js|ts|py)$/.test(e.name)) pristine.set(r, fs.readFileSync(path.join(dir, e.name), 'utf8'));
  }
})(vscode.workspace.workspaceFolders[0].uri.fsPath, '');

/** Writes a pristine copy of a sample file next to it under a new name, so each test starts from the sample as shipped. */
function copyInWorkspace(rel, tag) {
  const ext = path.extname(rel);
  const base = rel.slice(0, -ext.length);
  const copy = ext === '.py' ? `${base}_${tag.replace(/\W/g, '_')}${ext}` : `${base}.${tag}${ext}`;
  if (!pristine.has(rel)) throw new Error(`${rel} is not a source file of the sample`);
  fs.writeFileSync(workspaceUri(copy).fsPath, pristine.get(rel));
  return copy;
}

async function openInEditor(rel) {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(rel));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor, uri: doc.uri };
}

/**
 * Applies a code action's edit the way the editor does when the user picks it from the Ctrl+.
 * menu: as a refactoring, so VS Code saves every file of a multi-file fix (files.refactoring.autoSave).
 */
function applyCodeAction(action) {
  return vscode.workspace.applyEdit(action.edit, { isRefactoring: true });
}

/**
 * Saves every dirty document, including those no editor shows (a file a fix created or changed):
 * workspace.saveAll saves editors only.
 */
async function saveAll() {
  for (const d of vscode.workspace.textDocuments) {
    if (d.isDirty && !d.isUntitled && !(await d.save())) throw new Error(`saving ${d.uri.fsPath} failed`);
  }
}

function readWorkspaceFile(rel) {
  return fs.readFileSync(workspaceUri(rel).fsPath, 'utf8');
}

/** Waits for a document's text to change (a command applied an edit through the server). */
function nextTextChange(doc, ms = 15000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`${path.basename(doc.uri.fsPath)} did not change within ${ms} ms`)); }, ms);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== doc || !e.contentChanges.length) return;
      clearTimeout(timer);
      sub.dispose();
      resolve({ at: Date.now(), event: e });
    });
  });
}

/** Changes a setting of the copied workspace (.vscode/settings.json); undefined removes it. */
async function setSetting(section, key, value) {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Appends measurements to <out>/timings.json (run.sh prints them and the issue note quotes them). */
function recordTiming(name, value) {
  const out = process.env.VIBEGUARD_E2E_OUT;
  console.log(`[timing] ${name}: ${JSON.stringify(value)}`);
  if (!out) return;
  const file = path.join(out, 'timings.json');
  let all = {};
  try { all = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* first entry */ }
  all[name] = value;
  fs.writeFileSync(file, JSON.stringify(all, null, 2));
}

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1], all: ms };
}

async function closeAllEditors() {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

module.exports = {
  SOURCE, waitFor, workspaceUri, vibeguardDiagnostics, diagnosticsWhen, nextDiagnosticsChange, diagnostics,
  ruleOf, lineOf, ofRule, describe, codeActions, applyCodeAction, copyInWorkspace, openInEditor, saveAll, readWorkspaceFile,
  nextTextChange, setSetting, recordTiming, stats, closeAllEditors,
};
