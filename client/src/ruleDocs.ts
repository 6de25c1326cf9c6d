// Rule documentation inside the editor. The server links each diagnostic's code to the rule's page
// on the web (the CLI's SARIF does the same); in the editor the link runs "Show Rule
// Documentation" instead, which previews the page shipped in the extension (docs/rules/<id>.md),
// so it works offline and matches the installed version.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { SOURCE } from '../../server/src/protocol';

export const SHOW_RULE_DOCS = 'vibeguard.showRuleDocumentation';

/**
 * Points a Vibe Guard diagnostic's code link at the command. VS Code runs command links from the
 * Problems panel and the hover (it opens diagnostic code targets with commands allowed).
 */
export function linkCodeToDocs(d: vscode.Diagnostic): void {
  if (d.source !== SOURCE || typeof d.code !== 'object' || d.code === null) return;
  const id = String(d.code.value);
  d.code = { value: d.code.value, target: vscode.Uri.parse(`command:${SHOW_RULE_DOCS}?${encodeURIComponent(JSON.stringify([id]))}`) };
}

export async function showRuleDocumentation(context: vscode.ExtensionContext, ruleId?: unknown): Promise<string | undefined> {
  const ids = ruleIds(context);
  let id = typeof ruleId === 'string' && ids.includes(ruleId) ? ruleId : ruleAtCursor();
  if (!id) {
    id = await vscode.window.showQuickPick(ids, { placeHolder: 'Show the documentation of which Vibe Guard rule?' });
    if (!id) return undefined;
  }
  const doc = vscode.Uri.file(context.asAbsolutePath(path.join('docs', 'rules', `${id}.md`)));
  try {
    await vscode.commands.executeCommand('markdown.showPreview', doc);
  } catch {
    // The built-in Markdown extension is disabled: show the source instead.
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return id;
}

/** The rule of the Vibe Guard diagnostic under the cursor of the active editor. */
function ruleAtCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const pos = editor.selection.active;
  const d = vscode.languages.getDiagnostics(editor.document.uri).find((x) => x.source === SOURCE && x.range.contains(pos) && x.code !== undefined);
  if (!d?.code) return undefined;
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

function ruleIds(context: vscode.ExtensionContext): string[] {
  try {
    return fs.readdirSync(context.asAbsolutePath(path.join('docs', 'rules')))
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => f.slice(0, -3))
      .sort();
  } catch {
    return [];
  }
}
