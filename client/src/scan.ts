// "Vibe Guard: Scan Workspace": asks the server to analyse every supported file of the workspace
// folders, shows its progress in a cancellable notification and says what it found. The findings
// themselves arrive as ordinary diagnostics (Problems panel).
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient, type WorkDoneProgressReport, type WorkDoneProgressBegin } from 'vscode-languageclient/node';
import { ScanWorkspaceRequest, type ScanWorkspaceParams, type ScanWorkspaceResult } from '../../server/src/protocol';

let sequence = 0;

/**
 * `cacheDir`: where the server keeps the scan's result cache (the extension's storage for this
 * workspace), or undefined when vibeguard.workspaceScan.cache is off.
 */
export async function scanWorkspace(client: LanguageClient, cacheDir?: string): Promise<ScanWorkspaceResult | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!folders.length) {
    void vscode.window.showInformationMessage('Vibe Guard: open a folder to scan it.');
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Vibe Guard: scanning workspace', cancellable: true },
    async (progress, cancel) => {
      const workDoneToken = `vibeguard-scan-${process.pid}-${++sequence}`;
      let reported = 0;
      const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (p) => {
        if (p.kind !== 'report' && p.kind !== 'begin') return;
        const { percentage, message } = p as WorkDoneProgressReport | WorkDoneProgressBegin;
        const increment = percentage !== undefined ? Math.max(0, percentage - reported) : undefined;
        if (percentage !== undefined) reported = Math.max(reported, percentage);
        progress.report({ message, increment });
      });
      try {
        const params: ScanWorkspaceParams & { workDoneToken: string } = { folders: folders.map((f) => f.uri.toString()), workDoneToken, ...(cacheDir ? { cacheDir } : {}) };
        return await client.sendRequest<ScanWorkspaceResult>(ScanWorkspaceRequest, params, cancel);
      } catch (e) {
        if (cancel.isCancellationRequested) return { files: 0, findings: 0, cancelled: true };
        throw e;
      } finally {
        sub.dispose();
      }
    },
  );
  announce(result);
  return result;
}

function announce(r: ScanWorkspaceResult) {
  if (r.cancelled) {
    void vscode.window.showInformationMessage('Vibe Guard: workspace scan cancelled; the files scanned so far are in the Problems panel.');
    return;
  }
  const text = r.findings
    ? `Vibe Guard: ${r.findings} problem${r.findings === 1 ? '' : 's'} in ${r.files} scanned file${r.files === 1 ? '' : 's'}.`
    : `Vibe Guard: no problems in ${r.files} scanned file${r.files === 1 ? '' : 's'}.`;
  if (!r.findings) { void vscode.window.showInformationMessage(text); return; }
  void vscode.window.showInformationMessage(text, 'Show Problems').then((pick) => {
    if (pick) void vscode.commands.executeCommand('vibeguard.showProblems');
  });
}
