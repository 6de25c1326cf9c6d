// Findings of "Scan Workspace" arrive pushed (publishDiagnostics), one set per scanned file. A file
// shown in an editor tab has live (pulled) diagnostics as well, so its pushed set is held back
// while a tab shows it and shown again when its last tab closes: each finding is listed once.
import * as vscode from 'vscode';

export class ScanResults implements vscode.Disposable {
  private readonly pushed = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  /** Keys of pushed sets currently held back. */
  private readonly held = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly collection: () => vscode.DiagnosticCollection | undefined) {
    // After the language client's own tab listener has dropped a closed file's live diagnostics,
    // so the two sets never show together.
    this.subscription = vscode.window.tabGroups.onDidChangeTabs(() => setTimeout(() => this.update(), 0));
  }

  /** Middleware for pushed diagnostics: remembers them and passes on what should show now. */
  handle(uri: vscode.Uri, diagnostics: vscode.Diagnostic[], next: (uri: vscode.Uri, diagnostics: vscode.Diagnostic[]) => void): void {
    const key = uri.toString();
    if (diagnostics.length) this.pushed.set(key, { uri, diagnostics });
    else this.pushed.delete(key);
    const hold = diagnostics.length > 0 && shownInTabs().has(key);
    if (hold) this.held.add(key);
    else this.held.delete(key);
    next(uri, hold ? [] : diagnostics);
  }

  private update(): void {
    const collection = this.collection();
    if (!collection) return;
    const shown = shownInTabs();
    for (const [key, { uri, diagnostics }] of this.pushed) {
      const hold = shown.has(key);
      if (hold === this.held.has(key)) continue;
      if (hold) this.held.add(key);
      else this.held.delete(key);
      collection.set(uri, hold ? [] : diagnostics);
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** Documents an editor tab shows: the language client pulls live diagnostics for exactly these. */
function shownInTabs(): Set<string> {
  const out = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputText) out.add(input.uri.toString());
      else if (input instanceof vscode.TabInputTextDiff) { out.add(input.modified.toString()); out.add(input.original.toString()); }
    }
  }
  return out;
}
