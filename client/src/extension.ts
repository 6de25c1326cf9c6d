// The extension client: starts the language server over IPC and wires commands and the status
// bar. It knows no language and no rule: everything it shows comes from the server.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { FixAllCommand, StatusNotification, type StatusParams } from '../../server/src/protocol';

let client: LanguageClient | undefined;
let status: vscode.StatusBarItem | undefined;

const LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'python'];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Vibe Guard');
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/.vibeguard.json') },
    outputChannel: output,
    diagnosticPullOptions: { onChange: true, onSave: true },
  };
  client = new LanguageClient('vibeguard', 'Vibe Guard', serverOptions, clientOptions);

  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.name = 'Vibe Guard';
  status.command = 'vibeguard.showProblems';
  status.text = '$(shield) Vibe Guard';
  status.tooltip = 'Vibe Guard: starting';
  status.show();

  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand('vibeguard.showProblems', () => vscode.commands.executeCommand('workbench.actions.view.problems')),
    vscode.commands.registerCommand('vibeguard.fixAllInFile', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !client) return;
      await client.sendRequest('workspace/executeCommand', { command: FixAllCommand, arguments: [editor.document.uri.toString()] });
    }),
    vscode.commands.registerCommand('vibeguard.showRuleDocumentation', async (ruleId?: string) => {
      const id = ruleId ?? (await vscode.window.showQuickPick(ruleIds(context), { placeHolder: 'Rule' }));
      if (!id) return;
      const doc = vscode.Uri.file(context.asAbsolutePath(path.join('docs', 'rules', `${id}.md`)));
      await vscode.commands.executeCommand('markdown.showPreview', doc);
    }),
    vscode.commands.registerCommand('vibeguard.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('vibeguard.restartServer', async () => {
      await client?.restart();
    }),
  );

  await client.start();
  context.subscriptions.push(client.onNotification(StatusNotification, (s: StatusParams) => renderStatus(s)));
}

function renderStatus(s: StatusParams) {
  if (!status) return;
  const total = s.error + s.warning + s.info;
  status.text = total ? `$(shield) $(error) ${s.error} $(warning) ${s.warning} $(info) ${s.info}` : '$(shield) Vibe Guard';
  status.tooltip = total ? `Vibe Guard: ${s.error} errors, ${s.warning} warnings, ${s.info} info in ${s.files} open files. Click to open Problems.` : 'Vibe Guard: no problems in open files';
}

function ruleIds(context: vscode.ExtensionContext): string[] {
  try {
    return fs.readdirSync(context.asAbsolutePath(path.join('docs', 'rules'))).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => f.slice(0, -3));
  } catch {
    return [];
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
