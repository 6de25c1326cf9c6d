// The language model tool `vibeguard_scan` (contributed in package.json): agent mode calls it on
// the files it created or changed and reads back one line per finding. Paths are resolved here,
// against the workspace folders; the server analyses (open documents as the editor holds them).
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AgentFindingsRequest, type AgentFindingsParams, type AgentFindingsResult } from '../../server/src/protocol';

export const SCAN_TOOL = 'vibeguard_scan';

interface ScanInput { paths?: string[] }

export function registerScanTool(client: () => LanguageClient | undefined, languages: readonly string[]): vscode.Disposable {
  return vscode.lm.registerTool<ScanInput>(SCAN_TOOL, {
    prepareInvocation: ({ input }) => ({
      invocationMessage: input.paths?.length ? `Checking ${input.paths.length === 1 ? input.paths[0] : `${input.paths.length} files`} with Vibe Guard` : 'Checking the files with unsaved changes with Vibe Guard',
    }),
    invoke: async ({ input }, token) => {
      // sendRequest waits for a client still starting; one that failed or stopped rejects it.
      const lc = client();
      if (!lc) throw new Error('Vibe Guard is not active');
      const uris = input.paths?.length ? input.paths.map(toUri) : unsavedDocuments(languages);
      if (!uris.length) return text('Vibe Guard: no files given, and no JavaScript, TypeScript or Python file has unsaved changes.');
      const params: AgentFindingsParams = { uris: uris.map((u) => u.toString()) };
      const result = await lc.sendRequest<AgentFindingsResult>(AgentFindingsRequest, params, token);
      return text(result.text);
    },
  });
}

function text(s: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(s)]);
}

/** An absolute path, or one relative to the workspace folder that holds it (the first, when none does). */
function toUri(p: string): vscode.Uri {
  if (path.isAbsolute(p)) return vscode.Uri.file(p);
  const folders = vscode.workspace.workspaceFolders ?? [];
  const named = folders.find((f) => p === f.name || p.startsWith(`${f.name}/`));
  if (named && folders.length > 1) return vscode.Uri.joinPath(named.uri, p.slice(named.name.length + 1));
  return folders.length ? vscode.Uri.joinPath(folders[0].uri, p) : vscode.Uri.file(path.resolve(p));
}

function unsavedDocuments(languages: readonly string[]): vscode.Uri[] {
  return vscode.workspace.textDocuments.filter((d) => d.isDirty && languages.includes(d.languageId)).map((d) => d.uri);
}
