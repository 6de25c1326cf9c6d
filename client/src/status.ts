// The status bar item: Vibe Guard's problem counts by severity, counted from the diagnostics VS
// Code holds (open files and the last workspace scan, i.e. what the Problems panel lists), and a
// short flash when findings land in code that was just inserted (an accepted suggestion, a paste,
// an applied chat edit) so the developer looks before moving on.
import * as vscode from 'vscode';
import { SOURCE } from '../../server/src/protocol';

/** How long the just-accepted warning stays in the status bar. */
const FLASH_MS = 8000;
/** Recounting waits this long after a burst of diagnostic changes. */
const RECOUNT_MS = 100;

export interface AcceptedFinding { uri: vscode.Uri; range: vscode.Range; message: string }

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private recountTimer?: ReturnType<typeof setTimeout>;
  private flashTimer?: ReturnType<typeof setTimeout>;
  private flashing?: AcceptedFinding[];
  private counts = { error: 0, warning: 0, info: 0, files: 0 };

  constructor() {
    this.item = vscode.window.createStatusBarItem('vibeguard.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Vibe Guard';
    this.render();
    this.item.show();
    this.subscriptions.push(vscode.languages.onDidChangeDiagnostics(() => this.scheduleRecount()));
    this.recount();
  }

  /** Findings reported inside a block inserted in one change: flash them and offer to go to the first. */
  flashAccepted(findings: AcceptedFinding[]): void {
    if (!findings.length) return;
    this.flashing = findings;
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { this.flashing = undefined; this.render(); }, FLASH_MS);
    this.render();
  }

  /** The first finding of the last flash, if it is still showing. */
  get acceptedFindings(): readonly AcceptedFinding[] { return this.flashing ?? []; }

  private scheduleRecount() {
    clearTimeout(this.recountTimer);
    this.recountTimer = setTimeout(() => this.recount(), RECOUNT_MS);
  }

  private recount() {
    const c = { error: 0, warning: 0, info: 0, files: 0 };
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      let any = false;
      for (const d of diagnostics) {
        // Notices (a file that could not be parsed...) are in Problems but are not findings.
        if (d.source !== SOURCE || (typeof d.code === 'string' && d.code.startsWith('notice:'))) continue;
        any = true;
        if (d.severity === vscode.DiagnosticSeverity.Error) c.error++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) c.warning++;
        else c.info++;
      }
      if (any) c.files++;
    }
    this.counts = c;
    this.render();
  }

  private render() {
    const { error, warning, info, files } = this.counts;
    const total = error + warning + info;
    if (this.flashing) {
      const n = this.flashing.length;
      this.item.text = `$(shield) $(warning) ${n} in accepted code`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.item.command = { title: 'Go to the finding', command: 'vibeguard.goToAcceptedFinding' };
      this.item.tooltip = new vscode.MarkdownString(
        `**Vibe Guard: ${n} problem${n === 1 ? '' : 's'} in the code inserted just now**\n\n` +
        this.flashing.slice(0, 5).map((f) => `- ${escapeMarkdown(f.message)} (line ${f.range.start.line + 1})`).join('\n') +
        '\n\nClick to go to the first one.',
      );
      this.item.accessibilityInformation = { label: `Vibe Guard: ${n} problems in the code inserted just now` };
      return;
    }
    this.item.backgroundColor = total && error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.text = total ? `$(shield) $(error) ${error} $(warning) ${warning} $(info) ${info}` : '$(shield) Vibe Guard';
    this.item.command = { title: 'Show Vibe Guard problems', command: 'vibeguard.showProblems' };
    const tip = new vscode.MarkdownString(
      (total
        ? `**Vibe Guard**: ${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}, ${info} info in ${files} file${files === 1 ? '' : 's'}\n\n`
        : '**Vibe Guard**: no problems in open or scanned files\n\n') +
      'Click to open the Problems panel, then type `vibeguard` in its filter.\n\n' +
      '[Scan workspace](command:vibeguard.scanWorkspace) · [Fix all safe issues in file](command:vibeguard.fixAllInFile) · [Output](command:vibeguard.showOutput)',
    );
    tip.isTrusted = { enabledCommands: ['vibeguard.scanWorkspace', 'vibeguard.fixAllInFile', 'vibeguard.showOutput'] };
    this.item.tooltip = tip;
    this.item.accessibilityInformation = { label: total ? `Vibe Guard: ${error} errors, ${warning} warnings, ${info} info` : 'Vibe Guard: no problems' };
  }

  dispose(): void {
    clearTimeout(this.recountTimer);
    clearTimeout(this.flashTimer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
