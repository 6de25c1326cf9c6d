// The extension client: starts the language server over IPC and wires commands and the status
// bar. It knows no language and no rule: everything it shows comes from the server.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { FACT_FILES_GLOB, FixAllCommand, SOURCE, type DiagnosticData } from '../../server/src/protocol';
import { SERVER_ENV } from '../../server/src/serverLaunch';
import { StatusItem, type AcceptedFinding } from './status';
import { scanWorkspace } from './scan';
import { ScanResults } from './scanResults';
import { linkCodeToDocs, showRuleDocumentation, SHOW_RULE_DOCS } from './ruleDocs';
import { registerScanTool } from './lmTool';

let client: LanguageClient | undefined;

const LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'python'];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Vibe Guard');
  const status = new StatusItem();
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env: { ...SERVER_ENV } } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'], env: { ...SERVER_ENV } } },
  };
  // One flash per analysed version: a later pull of the same version (save, focus) stays quiet.
  const flashed = new Map<string, number>();
  const scanResults = new ScanResults(() => client?.diagnostics);
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
    // The configuration file, and the files findings of other files depend on (a schema without
    // the index, a lockfile's versions): the server refreshes open documents when they change.
    synchronize: { fileEvents: [vscode.workspace.createFileSystemWatcher('**/.vibeguard.json'), vscode.workspace.createFileSystemWatcher(FACT_FILES_GLOB)] },
    outputChannel: output,
    diagnosticPullOptions: { onChange: true, onSave: true },
    middleware: {
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const report = await next(document, previousResultId, token);
        if (report && report.kind === 'full') {
          const uri = document instanceof vscode.Uri ? document : document.uri;
          for (const d of report.items) linkCodeToDocs(d);
          const accepted = report.items.filter((d) => diagnosticData(d)?.accepted);
          const version = accepted.length ? diagnosticData(accepted[0])!.version : -1;
          if (accepted.length && flashed.get(uri.toString()) !== version) {
            flashed.set(uri.toString(), version);
            status.flashAccepted(accepted.map((d) => ({ uri, range: d.range, message: d.message })));
          }
        }
        return report;
      },
      // Findings of a workspace scan arrive pushed.
      handleDiagnostics: (uri, diagnostics, next) => {
        for (const d of diagnostics) linkCodeToDocs(d);
        scanResults.handle(uri, diagnostics, next);
      },
    },
  };
  client = new LanguageClient('vibeguard', 'Vibe Guard', serverOptions, clientOptions);
  const lc = client;

  context.subscriptions.push(
    output,
    status,
    scanResults,
    vscode.workspace.onDidCloseTextDocument((d) => flashed.delete(d.uri.toString())),
    vscode.commands.registerCommand('vibeguard.showProblems', showProblems),
    vscode.commands.registerCommand('vibeguard.scanWorkspace', () => scanWorkspace(lc, scanCacheDir(context))),
    vscode.commands.registerCommand('vibeguard.fixAllInFile', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !LANGUAGES.includes(editor.document.languageId)) {
        void vscode.window.showInformationMessage('Vibe Guard: open a JavaScript, TypeScript or Python file to fix it.');
        return;
      }
      await lc.sendRequest('workspace/executeCommand', { command: FixAllCommand, arguments: [editor.document.uri.toString()] });
    }),
    vscode.commands.registerCommand(SHOW_RULE_DOCS, (ruleId?: unknown) => showRuleDocumentation(context, ruleId)),
    vscode.commands.registerCommand('vibeguard.goToAcceptedFinding', () => goTo(status.acceptedFindings[0])),
    vscode.commands.registerCommand('vibeguard.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('vibeguard.restartServer', async () => {
      await lc.restart();
    }),
    registerScanTool(() => client, LANGUAGES),
  );

  await client.start();
}

/**
 * The workspace scan's result cache: in VS Code's storage for this extension and workspace, which
 * is outside the user's tree (no folder appears in the project or in git) and goes with the
 * extension; the global storage when no workspace is open.
 */
function scanCacheDir(context: vscode.ExtensionContext): string | undefined {
  if (!vscode.workspace.getConfiguration('vibeguard').get<boolean>('workspaceScan.cache', true)) return undefined;
  return path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'scan-cache');
}

/** The payload the server attaches to each diagnostic (kept by the language client on the object). */
function diagnosticData(d: vscode.Diagnostic): DiagnosticData | undefined {
  if (d.source !== SOURCE) return undefined;
  return (d as vscode.Diagnostic & { data?: DiagnosticData }).data;
}

/**
 * Opens the Problems panel with the cursor in its filter box. VS Code 1.100 has no command or API
 * that sets the filter text (the filter commands take no argument; the text is restored only from
 * the panel's own saved state), so the user types `vibeguard` once and VS Code keeps it.
 */
async function showProblems(): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const focusFilter = () => vscode.commands.executeCommand('problems.action.focusFilter').then(undefined, () => undefined);
  await focusFilter();
  // A Problems view opened for the first time moves focus to its list once it has rendered the
  // markers (with many findings, after the command above returned); give the cursor back to the filter.
  await new Promise((resolve) => setTimeout(resolve, 150));
  await focusFilter();
}

async function goTo(f: AcceptedFinding | undefined): Promise<void> {
  if (!f) return;
  const editor = await vscode.window.showTextDocument(f.uri, { selection: f.range, preserveFocus: false });
  editor.revealRange(f.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
