// The Vibe Guard language server: incremental document sync, pull diagnostics with a short
// typing debounce (skipped for blocks inserted in one change, i.e. accepted suggestions), pushed
// instead to clients that do not pull, baseline findings dimmed or hidden, cancellation of stale
// analyses, code actions, and per-resource settings. Analyses and fixes
// run on analysis threads (analysis/service.ts), never on the protocol thread, so a slow file
// never holds up the others and every analysis can be cancelled.
import * as path from 'path';
import {
  createConnection, ProposedFeatures, TextDocumentSyncKind, CodeActionKind, ResponseError,
  LSPErrorCodes, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, type InitializeResult, type CancellationToken,
  type DocumentDiagnosticReport, type DocumentDiagnosticParams, type TextDocumentContentChangeEvent, type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { SettingsStore } from './settings';
import { formatProblem, CONFIG_FILE, type Config } from './config';
import { WorkspaceScan } from './workspaceScan';
import type { ScanOutcome } from './cache/editorScan';
import { toDiagnostics } from './diagnostics';
import { AnalysisService, JobCancelled } from './analysis/service';
import { DocumentAnalyses } from './analysis/documents';
import { isValidChange, Lifecycle, redactingLog } from './lspGuards';
import { projectRoot } from './writes/root';
import { DiagnosticsPusher } from './push';
import { agentFindings } from './agentFindings';
import { BaselineFiles } from './baselineView';
import { FACT_FILES_GLOB, isWorkspaceFactFile } from '../../rules/kit/model/fact-files';
import {
  SOURCE, FIX_ALL_KIND, FixAllCommand, ScanWorkspaceRequest, AgentFindingsRequest, type AgentFindingsParams,
} from './protocol';

const connection = createConnection(ProposedFeatures.all);
const log = redactingLog(connection.console);
const lifecycle = new Lifecycle();
const documents = new Map<string, TextDocument>();
const service = new AnalysisService({ log: (m) => log.warn(m) });
const analyses = new DocumentAnalyses(service, log);
/** The range inserted by the last change of a document, when that change was a block insert. */
const acceptedInserts = new Map<string, { version: number; range: Range }>();
/** Debounce waits in progress, resolved early when a block insert arrives for that version. */
const waiters = new Map<string, () => void>();
let hasConfigurationCapability = false;
/** The client lets the server say which files to watch (editors without VS Code's static file events). */
let canRegisterWatchers = false;
let hasWorkspaceFolderCapability = false;
let hasDiagnosticRefreshSupport = false;
/** Set when the client does not pull diagnostics (most editors besides VS Code): they are pushed. */
let pusher: DiagnosticsPusher | undefined;

const settings = new SettingsStore(connection, () => hasConfigurationCapability, (problems) => {
  const text = problems.map(formatProblem).join('; ');
  // A file that could not be read or parsed contributes nothing; otherwise its valid part applies.
  const unread = problems.some((p) => p.key === '(syntax)' || p.key === '(file)');
  log.warn(`configuration problems: ${text}`);
  void connection.window.showWarningMessage(`Vibe Guard: ${text}. ${unread ? 'Defaults apply.' : 'The rest of the configuration still applies.'}`);
});

const baselines = new BaselineFiles(() => refreshDiagnostics(), (message) => log.warn(message));

const workspaceScan = new WorkspaceScan({
  connection, settings, log,
  openText: (uri) => documents.get(uri)?.getText(),
  workerScript: path.join(__dirname, 'analysisWorker.js'),
  scan: async (file, uri, eff, text, token, cache) => {
    const run = async (recordDependencies: boolean): Promise<ScanOutcome> => {
      const job = await service.run({ kind: 'scan', file, uri, config: eff.config, text, recordDependencies }, eff.config.timeBudgetMs, undefined, token);
      return job.kind === 'scan' ? job : {};
    };
    const r = cache ? await cache.scan(file, eff.config, text, run) : await run(false);
    if (r.log) log.info(`workspace scan: ${r.log}`);
    return r.scanned && { ...r.scanned, diagnostics: baselines.apply(baselines.view(eff), file, r.scanned.diagnostics) };
  },
});
connection.onRequest(ScanWorkspaceRequest, lifecycle.guard((params, token) => workspaceScan.run(params, token)));
connection.onRequest(AgentFindingsRequest, lifecycle.guard((params: AgentFindingsParams) => agentFindings({
  settings,
  findings: async (file, config, text) => {
    const r = await service.run({ kind: 'findings', file, config, text }, config.timeBudgetMs);
    return r.kind === 'findings' ? r.report : { path: file, findings: [], notices: [] };
  },
  openText: (uri) => documents.get(uri)?.getText(),
}, params)));

// Never die on an unexpected error: log it and keep serving the other documents.
process.on('uncaughtException', (e) => log.error(`unexpected error: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => log.error(`unexpected rejection: ${(e as Error)?.stack ?? e}`));

connection.onShutdown(() => {
  lifecycle.shutDown();
  service.dispose();
});

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  hasConfigurationCapability = !!caps.workspace?.configuration;
  canRegisterWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  hasWorkspaceFolderCapability = !!caps.workspace?.workspaceFolders;
  hasDiagnosticRefreshSupport = !!caps.workspace?.diagnostics?.refreshSupport;
  if (!caps.textDocument?.diagnostic) pusher = new DiagnosticsPusher(connection, pullDiagnostics);
  settings.setPushed(params.initializationOptions);
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
  // Editors other than VS Code (whose client watches these files itself) are asked to report
  // changes of the configuration and of the workspace's fact files.
  if (pusher && canRegisterWatchers) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE}` }, { globPattern: FACT_FILES_GLOB }] });
  if (hasWorkspaceFolderCapability) connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const removed = new Set(e.removed.map((f) => URI.parse(f.uri).fsPath));
    settings.workspaceFolders = [...settings.workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => URI.parse(f.uri).fsPath)];
    settings.clearConfigFiles();
  });
});

connection.onDidChangeConfiguration((params) => {
  settings.clearSettings();
  settings.setPushed(params.settings);
  analyses.clear();
  refreshDiagnostics();
});

connection.onDidChangeWatchedFiles((e) => {
  const config = e.changes.some((c) => c.uri.endsWith(CONFIG_FILE));
  // A schema, lockfile or manifest changed: workspace facts are rebuilt now (not after the index's
  // freshness window) and open documents are analysed again against them.
  const facts = e.changes.some((c) => isWorkspaceFactFile(URI.parse(c.uri).path));
  if (config) settings.clearConfigFiles();
  if (facts) service.workspaceChanged();
  if (config || facts) {
    analyses.clear();
    refreshDiagnostics();
  }
});

/** Every open document's diagnostics are out of date: the client pulls them again, or they are pushed. */
function refreshDiagnostics(): void {
  if (pusher) for (const uri of documents.keys()) void pusher.push(uri);
  else if (hasDiagnosticRefreshSupport) void connection.languages.diagnostics.refresh();
}

connection.onDidOpenTextDocument(({ textDocument: t }) => {
  documents.set(t.uri, TextDocument.create(t.uri, t.languageId, t.version, t.text));
  void pusher?.push(t.uri);
});

connection.onDidChangeTextDocument(async ({ textDocument, contentChanges }) => {
  const doc = documents.get(textDocument.uri);
  if (!doc) return;
  if (!Array.isArray(contentChanges) || !contentChanges.every(isValidChange)) {
    log.error(`${textDocument.uri}: ignored a change with an invalid range (version ${textDocument.version}); the document stays at version ${doc.version}`);
    return;
  }
  documents.set(textDocument.uri, TextDocument.update(doc, contentChanges, textDocument.version));
  // An analysis of the older text is of no use any more.
  service.cancel(textDocument.uri);
  acceptedInserts.delete(textDocument.uri);
  void pusher?.push(textDocument.uri);
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
  pusher?.closed(textDocument.uri);
  analyses.delete(textDocument.uri);
  acceptedInserts.delete(textDocument.uri);
  settings.forget(textDocument.uri);
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

connection.languages.diagnostics.on(lifecycle.guard(pullDiagnostics));

async function pullDiagnostics(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
  const uri = params.textDocument.uri;
  const doc = documents.get(uri);
  if (!doc) return { kind: 'full', items: [] };
  const version = doc.version;
  const eff = await settings.effective(uri);
  if (!eff.settings.enable) return { kind: 'full', items: [] };
  let entry = analyses.get(uri, version);
  if (!entry) {
    // Typing: wait for a quiet moment. First open and block inserts: analyse at once. A debounce
    // of 0 waits for nothing (a timer would still cost a tick of about 1 ms).
    if (analyses.has(uri) && acceptedInserts.get(uri)?.version !== version && eff.settings.debounceMs > 0) await quiet(uri, eff.settings.debounceMs, token);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (documents.get(uri)?.version !== version) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
    try {
      const accepted = acceptedInserts.get(uri)?.version === version ? acceptedInserts.get(uri)!.range : undefined;
      entry = await analyses.analyse(doc, eff.config, token, accepted);
    } catch (e) {
      if (!(e instanceof JobCancelled)) throw e;
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'document changed', { retriggerRequest: true });
    }
    workspaceScan.analysed(doc.uri, baselines.apply(baselines.view(eff), URI.parse(uri).fsPath, toDiagnostics(doc, entry.facts)));
  }
  return { kind: 'full', items: baselines.apply(baselines.view(eff), URI.parse(uri).fsPath, toDiagnostics(doc, entry.facts, entry.accepted)) };
}

function quiet(uri: string, ms: number, token: CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); sub.dispose(); if (waiters.get(uri) === done) waiters.delete(uri); resolve(); };
    const timer = setTimeout(done, ms);
    const sub = token.onCancellationRequested(done);
    waiters.get(uri)?.();
    waiters.set(uri, done);
  });
}

/**
 * Where fixes of a document may write other files (.env, helpers): its workspace folder, else
 * its project folder; an untitled document has none, so it gets no fix that writes files.
 */
function workspaceRootOf(uri: string, folder: string | undefined): string | undefined {
  const u = URI.parse(uri);
  if (u.scheme !== 'file') return undefined;
  const dir = path.dirname(u.fsPath);
  return folder ?? projectRoot(dir) ?? dir;
}

async function actionsFor(uri: string, diagnostics: Parameters<DocumentAnalyses['actions']>[3], quickFix: boolean, fixAll: boolean) {
  const doc = documents.get(uri);
  if (!doc) return [];
  const eff = await settings.effective(uri);
  return analyses.actions(doc, eff.config, workspaceRootOf(uri, eff.workspaceRoot), diagnostics, quickFix, fixAll);
}

connection.onCodeAction(lifecycle.guard(async (params) => {
  try {
    const only = params.context.only;
    const wantsFixAll = !!only?.some((k) => k === FIX_ALL_KIND || k === 'source.fixAll' || k === 'source');
    const wantsQuickFix = !only || only.some((k) => k === CodeActionKind.QuickFix || k.startsWith('quickfix'));
    if (!wantsFixAll && !wantsQuickFix) return [];
    return await actionsFor(params.textDocument.uri, params.context.diagnostics, wantsQuickFix, wantsFixAll);
  } catch (e) {
    if (!(e instanceof JobCancelled)) log.error(`code actions failed: ${(e as Error).stack ?? e}`);
    return [];
  }
}));

connection.onExecuteCommand(lifecycle.guard(async (params) => {
  if (params.command !== FixAllCommand) return;
  const uri = String(params.arguments?.[0] ?? '');
  const [action] = await actionsFor(uri, [], false, true).catch(() => []);
  if (action?.edit) await connection.workspace.applyEdit({ label: 'Vibe Guard: fix all', edit: action.edit });
  else void connection.window.showInformationMessage('Vibe Guard: no safe fixes to apply in this file');
}));

connection.listen();
