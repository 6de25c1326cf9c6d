// The Vibe Guard language server: incremental document sync, pull diagnostics with a short
// typing debounce (skipped for blocks inserted in one change, i.e. accepted suggestions),
// cancellation of stale analyses, code actions, and per-resource settings.
import {
  createConnection, ProposedFeatures, TextDocumentSyncKind, CodeActionKind, DiagnosticSeverity, ResponseError,
  LSPErrorCodes, DidChangeConfigurationNotification, type Diagnostic, type InitializeResult, type CancellationToken,
  type DocumentDiagnosticReport, type TextDocumentContentChangeEvent, type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Cancelled, Engine, LANGUAGE_IDS, languageOf, type Analysis, type Notice } from './engine';
import { SettingsStore } from './settings';
import { quickFixes, fixAllAction, type ActionContext } from './codeActions';
import { formatProblem, CONFIG_FILE } from './config';
import { ruleDocUrl } from './docsUrl';
import { WorkspaceScan } from './workspaceScan';
import {
  SOURCE, FIX_ALL_KIND, FixAllCommand, ScanWorkspaceRequest,
  type DiagnosticData,
} from './protocol';

const connection = createConnection(ProposedFeatures.all);
const documents = new Map<string, TextDocument>();
const analyses = new Map<string, { version: number; analysis: Analysis; accepted?: Range }>();
/** The range inserted by the last change of a document, when that change was a block insert. */
const acceptedInserts = new Map<string, { version: number; range: Range }>();
/** Debounce waits in progress, resolved early when a block insert arrives for that version. */
const waiters = new Map<string, () => void>();
let hasConfigurationCapability = false;
let hasWorkspaceFolderCapability = false;
let engine: Engine | undefined;
const enginePromise = Engine.create().then((e) => (engine = e));

const settings = new SettingsStore(connection, () => hasConfigurationCapability, (problems) => {
  const text = problems.map(formatProblem).join('; ');
  // A file that could not be read or parsed contributes nothing; otherwise its valid part applies.
  const unread = problems.some((p) => p.key === '(syntax)' || p.key === '(file)');
  connection.console.warn(`configuration problems: ${text}`);
  void connection.window.showWarningMessage(`Vibe Guard: ${text}. ${unread ? 'Defaults apply.' : 'The rest of the configuration still applies.'}`);
});

const workspaceScan = new WorkspaceScan({
  connection, settings, engine: () => enginePromise,
  openText: (uri) => documents.get(uri)?.getText(),
  toDiagnostics: (doc, analysis) => toDiagnostics(doc, analysis),
});
connection.onRequest(ScanWorkspaceRequest, (params, token) => workspaceScan.run(params, token));

// Never die on an unexpected error: log it and keep serving the other documents.
process.on('uncaughtException', (e) => connection.console.error(`unexpected error: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unexpected rejection: ${(e as Error)?.stack ?? e}`));

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  hasConfigurationCapability = !!caps.workspace?.configuration;
  hasWorkspaceFolderCapability = !!caps.workspace?.workspaceFolders;
  settings.workspaceFolders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
  if (!settings.workspaceFolders.length && params.rootUri) settings.workspaceFolders = [URI.parse(params.rootUri).fsPath];
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      diagnosticProvider: { identifier: SOURCE, interFileDependencies: false, workspaceDiagnostics: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      executeCommandProvider: { commands: [FixAllCommand] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'vibeguard', version: process.env.VIBEGUARD_VERSION ?? '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (hasConfigurationCapability) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'vibeguard' });
  if (hasWorkspaceFolderCapability) connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const removed = new Set(e.removed.map((f) => URI.parse(f.uri).fsPath));
    settings.workspaceFolders = [...settings.workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => URI.parse(f.uri).fsPath)];
    settings.clearConfigFiles();
  });
});

connection.onDidChangeConfiguration(() => {
  settings.clearSettings();
  analyses.clear();
  connection.languages.diagnostics.refresh();
});

connection.onDidChangeWatchedFiles((e) => {
  if (e.changes.some((c) => c.uri.endsWith(CONFIG_FILE))) {
    settings.clearConfigFiles();
    analyses.clear();
    connection.languages.diagnostics.refresh();
  }
});

connection.onDidOpenTextDocument(({ textDocument: t }) => {
  documents.set(t.uri, TextDocument.create(t.uri, t.languageId, t.version, t.text));
});

connection.onDidChangeTextDocument(async ({ textDocument, contentChanges }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return;
  documents.set(textDocument.uri, TextDocument.update(doc, contentChanges, textDocument.version));
  acceptedInserts.delete(textDocument.uri);
  const inserted = blockInsert(contentChanges);
  if (!inserted) return;
  const { settings: s } = await settings.effective(textDocument.uri);
  if (inserted.lines >= s.acceptedCode.minLines || inserted.chars >= s.acceptedCode.minChars) {
    acceptedInserts.set(textDocument.uri, { version: textDocument.version, range: inserted.range });
    waiters.get(textDocument.uri)?.();
  }
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  documents.delete(textDocument.uri);
  analyses.delete(textDocument.uri);
  acceptedInserts.delete(textDocument.uri);
  settings.forget(textDocument.uri);
  engine?.forget(URI.parse(textDocument.uri).fsPath);
  workspaceScan.closed(textDocument.uri);
});

/** A single change that inserts a block: an accepted inline completion, a paste or an applied edit. */
function blockInsert(changes: TextDocumentContentChangeEvent[]): { range: Range; lines: number; chars: number } | undefined {
  if (changes.length !== 1) return undefined;
  const c = changes[0];
  if (!('range' in c) || !c.range) return undefined;
  const text = c.text;
  const newlines = text.split('\n').length - 1;
  const start = c.range.start;
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  const end = newlines ? { line: start.line + newlines, character: lastLine.length } : { line: start.line, character: start.character + text.length };
  return { range: { start, end }, lines: newlines + (lastLine.trim() ? 1 : 0), chars: text.length };
}

connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
  const uri = params.textDocument.uri;
  await enginePromise;
  const doc = documents.get(uri);
  if (!doc) return { kind: 'full', items: [] };
  const version = doc.version;
  const eff = await settings.effective(uri);
  if (!eff.settings.enable) return { kind: 'full', items: [] };
  let entry = analyses.get(uri);
  if (!entry || entry.version !== version) {
    // Typing: wait for a quiet moment. First open and block inserts: analyse at once.
    if (entry && acceptedInserts.get(uri)?.version !== version) await quiet(uri, eff.settings.debounceMs, token);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (documents.get(uri)?.version !== version) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
    try {
      const analysis = analyzeDoc(doc, eff.config, () => token.isCancellationRequested || documents.get(uri)?.version !== version);
      entry = { version, analysis, accepted: acceptedInserts.get(uri)?.version === version ? acceptedInserts.get(uri)!.range : undefined };
      analyses.set(uri, entry);
      workspaceScan.analysed(doc, analysis);
    } catch (e) {
      if (e instanceof Cancelled) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
      connection.console.error(`analysis of ${uri} failed: ${(e as Error).stack ?? e}`);
      return { kind: 'full', items: [{ range: zeroRange(), severity: DiagnosticSeverity.Information, source: SOURCE, message: `Vibe Guard could not analyse this file: ${(e as Error).message}` }] };
    }
  }
  return { kind: 'full', items: toDiagnostics(doc, entry.analysis, entry.accepted) };
});

function quiet(uri: string, ms: number, token: CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); sub.dispose(); if (waiters.get(uri) === done) waiters.delete(uri); resolve(); };
    const timer = setTimeout(done, ms);
    const sub = token.onCancellationRequested(done);
    waiters.get(uri)?.();
    waiters.set(uri, done);
  });
}

function analyzeDoc(doc: TextDocument, config: ActionContext['config'], isCancelled?: () => boolean): Analysis {
  const file = URI.parse(doc.uri).fsPath;
  const lang = LANGUAGE_IDS[doc.languageId] ?? languageOf(file);
  const t0 = performance.now();
  const analysis = engine!.analyze(file, doc.getText(), { config, lang, isCancelled });
  for (const n of analysis.notices) if (n.kind !== 'syntax') connection.console.info(`${file}: ${n.message}`);
  const ms = performance.now() - t0;
  if (ms > 200) connection.console.info(`${file}: analysis took ${ms.toFixed(0)} ms`);
  return analysis;
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

function toDiagnostics(doc: TextDocument, a: Analysis, accepted?: Range): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of a.findings) {
    const range = { start: doc.positionAt(f.start), end: doc.positionAt(f.end) };
    const data: DiagnosticData = { ruleId: f.ruleId, version: doc.version, start: f.start, end: f.end, fix: f.fix };
    const d: Diagnostic = { range, severity: SEVERITY[f.severity], source: SOURCE, code: f.ruleId, codeDescription: { href: ruleDocUrl(f.ruleId) }, message: f.message, data };
    if (accepted && intersects(range, accepted)) {
      data.accepted = true;
      d.relatedInformation = [{ location: { uri: doc.uri, range: accepted }, message: 'in code inserted just now (accepted suggestion, paste or applied edit): review before moving on' }];
    }
    out.push(d);
  }
  for (const n of a.notices) out.push(noticeDiagnostic(doc, n));
  return out;
}

function noticeDiagnostic(doc: TextDocument, n: Notice): Diagnostic {
  const range = n.start !== undefined ? { start: doc.positionAt(n.start), end: doc.positionAt(n.end ?? n.start) } : zeroRange();
  return { range, severity: DiagnosticSeverity.Information, source: SOURCE, code: `notice:${n.kind}`, message: `Vibe Guard: ${n.message}` };
}

function zeroRange(): Range { return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }; }

function intersects(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** The analysis of the document's current version (cached, else computed now). */
async function currentContext(uri: string): Promise<ActionContext | undefined> {
  await enginePromise;
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const eff = await settings.effective(uri);
  let entry = analyses.get(uri);
  if (!entry || entry.version !== doc.version) {
    entry = { version: doc.version, analysis: analyzeDoc(doc, eff.config) };
    analyses.set(uri, entry);
  }
  const root = eff.workspaceRoot;
  return { engine: engine!, doc, analysis: entry.analysis, config: eff.config, env: { workspaceRoot: root ?? pathDir(URI.parse(uri).fsPath) } };
}

function pathDir(p: string) { return p.slice(0, Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'))); }

connection.onCodeAction(async (params) => {
  try {
    const ctx = await currentContext(params.textDocument.uri);
    if (!ctx) return [];
    const only = params.context.only;
    const wantsFixAll = only?.some((k) => k === FIX_ALL_KIND || k === 'source.fixAll' || k === 'source');
    const wantsQuickFix = !only || only.some((k) => k === CodeActionKind.QuickFix || k.startsWith('quickfix'));
    const actions = wantsQuickFix ? quickFixes(ctx, params.context.diagnostics) : [];
    if (wantsFixAll) {
      const all = fixAllAction(ctx);
      if (all) actions.push(all);
    }
    return actions;
  } catch (e) {
    connection.console.error(`code actions failed: ${(e as Error).stack ?? e}`);
    return [];
  }
});

connection.onExecuteCommand(async (params) => {
  if (params.command !== FixAllCommand) return;
  const uri = String(params.arguments?.[0] ?? '');
  const ctx = await currentContext(uri);
  const action = ctx && fixAllAction(ctx);
  if (action?.edit) await connection.workspace.applyEdit({ label: 'Vibe Guard: fix all', edit: action.edit });
  else void connection.window.showInformationMessage('Vibe Guard: no safe fixes to apply in this file');
});

connection.listen();
