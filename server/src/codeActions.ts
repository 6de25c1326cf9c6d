// Code actions: one quick fix per finding, "Disable <rule> for this line", and
// source.fixAll.vibeguard. Edits are versioned, so VS Code refuses them if the document
// changed after they were computed; diagnostics from an older version get no fix at all.
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { CodeAction, CodeActionKind, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit, type CreateFile, type TextDocumentEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis, Engine, FixEnvironment } from './engine';
import type { Config } from './config';
import type { FileChange, Finding, TextEdit } from '../../rules/kit/rule';
import { indentAt, lineStartOf } from '../../rules/kit/model/literals';
import { applyEdits, minimalEdit } from '../../rules/kit/fixes/edits';

export { minimalEdit };
import { FIX_ALL_KIND, SOURCE, type DiagnosticData } from './protocol';

export interface ActionContext {
  engine: Engine;
  doc: TextDocument;
  analysis: Analysis;
  config: Config;
  env: FixEnvironment;
}

export function quickFixes(ctx: ActionContext, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== SOURCE || !d.data) continue;
    const data = d.data as DiagnosticData;
    if (data.version !== ctx.doc.version) {
      // The document moved on since this diagnostic: its offsets no longer describe the text.
      const stale = CodeAction.create(data.fix?.title ?? `Fix ${data.ruleId}`, CodeActionKind.QuickFix);
      stale.disabled = { reason: 'The document changed since this problem was reported; wait for the new analysis' };
      stale.diagnostics = [d];
      actions.push(stale);
      continue;
    }
    const finding = ctx.analysis.findings.find((f) => f.ruleId === data.ruleId && f.start === data.start && f.end === data.end);
    if (!finding) continue;
    if (finding.fix) {
      const res = ctx.engine.fix(ctx.analysis, finding, ctx.env, ctx.config);
      if (res && (res.edits.length || res.files?.length)) {
        const action = CodeAction.create((res.title ?? finding.fix.title) + (finding.fix.safety === 'unsafe' ? ' (review: changes behaviour)' : ''), workspaceEdit(ctx.doc, res.edits, res.files ?? []), CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = finding.fix.safety === 'safe';
        actions.push(action);
      }
    }
    const lineKey = `${finding.ruleId}:${d.range.start.line}`;
    if (!disabled.has(lineKey)) {
      disabled.add(lineKey);
      actions.push(disableAction(ctx, finding, d));
    }
  }
  return actions;
}

function disableAction(ctx: ActionContext, finding: Finding, d: Diagnostic): CodeAction {
  const text = ctx.doc.getText();
  const lineStart = lineStartOf(text, finding.start);
  const indent = indentAt(text, finding.start);
  const marker = ctx.analysis.lang === 'py' ? '#' : '//';
  const edit: TextEdit = { start: lineStart, end: lineStart, newText: `${indent}${marker} vibeguard-disable-next-line ${finding.ruleId} -- reason\n` };
  const action = CodeAction.create(`Disable ${finding.ruleId} for this line`, workspaceEdit(ctx.doc, [edit], []), CodeActionKind.QuickFix);
  action.diagnostics = [d];
  return action;
}

/** source.fixAll.vibeguard: every safe fix (and unsafe ones when allowed), as one edit. */
export function fixAllAction(ctx: ActionContext): CodeAction | undefined {
  const text = ctx.doc.getText();
  const res = ctx.engine.fixAll(ctx.analysis.file, text, { config: ctx.config, unsafe: ctx.config.unsafeFixes, env: ctx.env, lang: ctx.analysis.lang });
  if (!res.applied || res.text === text) return undefined;
  const edit = minimalEdit(text, res.text);
  return CodeAction.create(`Fix all Vibe Guard problems${ctx.config.unsafeFixes ? '' : ' (safe fixes)'}`, workspaceEdit(ctx.doc, [edit], res.files), FIX_ALL_KIND);
}

export function workspaceEdit(doc: TextDocument, edits: TextEdit[], files: FileChange[]): WorkspaceEdit {
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [
    { textDocument: { uri: doc.uri, version: doc.version }, edits: edits.map((e) => lspEdit(doc, e)) },
  ];
  for (const f of files) {
    const uri = URI.file(path.resolve(f.path)).toString();
    const current = readOrUndefined(f.path);
    const content = f.kind === 'create' ? f.content : applyEdits(current ?? '', f.edits);
    // Create if absent, then replace the whole (possibly empty) text with the file's new content.
    if (current === undefined) documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: endOf(current ?? '') }, newText: content }] });
  }
  return { documentChanges };
}

function readOrUndefined(p: string): string | undefined {
  try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; }
}

function endOf(text: string) {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

function lspEdit(doc: TextDocument, e: TextEdit): LspTextEdit {
  return { range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText };
}

