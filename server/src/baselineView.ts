// Baseline findings in the editor: when .vibeguard.json names a baseline (written by `vibeguard
// scan --write-baseline`), the findings it records are known ones. Per `vibeguard.baseline.mode`
// they are dimmed (a hint with the "unnecessary" tag: faded, no squiggle, out of the Problems
// panel, still one Ctrl+. away from its fix), hidden, or shown as any other finding.
import * as fs from 'fs';
import * as path from 'path';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import { Baseline, readBaseline } from './baseline';
import type { BaselineMode, DiagnosticData } from './protocol';
import type { Effective } from './settings';

export interface BaselineView { baseline: Baseline; mode: Exclude<BaselineMode, 'show'> }

interface Loaded { mtimeMs: number; size: number; baseline?: Baseline }

export class BaselineFiles {
  private readonly loaded = new Map<string, Loaded>();
  private readonly watchers = new Map<string, fs.FSWatcher>();

  /** `onChange`: a baseline file changed on disk (diagnostics should be pulled again); `log`: problems. */
  constructor(private readonly onChange: () => void, private readonly log: (message: string) => void) {}

  /** The baseline that applies to a document, or undefined (none named, unreadable, or mode "show"). */
  view(eff: Effective): BaselineView | undefined {
    const name = eff.config.baseline;
    const mode = eff.settings.baseline.mode;
    if (!name || !eff.workspaceRoot || mode === 'show') return undefined;
    const baseline = this.load(path.resolve(eff.workspaceRoot, name));
    return baseline && { baseline, mode };
  }

  /**
   * The diagnostics with the baseline's known findings dimmed or left out (per the mode); each
   * diagnostic carries its finding's fingerprint, computed where it was analysed.
   */
  apply(view: BaselineView | undefined, file: string, diagnostics: Diagnostic[]): Diagnostic[] {
    if (!view) return diagnostics;
    const out: Diagnostic[] = [];
    for (const d of diagnostics) {
      const data = d.data as DiagnosticData | undefined;
      const known = !!data?.fingerprint && view.baseline.match(file, data.ruleId, data.fingerprint) !== undefined;
      if (known && view.mode === 'hide') continue;
      if (known) dimKnown(d);
      out.push(d);
    }
    return out;
  }

  /** Re-read when its size or time changed: `--write-baseline` in a terminal shows at the next pull. */
  private load(file: string): Baseline | undefined {
    let stat: fs.Stats;
    try { stat = fs.statSync(file); } catch {
      if (!this.loaded.has(file)) this.log(`the baseline ${file} named in .vibeguard.json does not exist (write it with vibeguard scan --write-baseline)`);
      this.loaded.set(file, { mtimeMs: -1, size: -1 });
      return undefined;
    }
    const hit = this.loaded.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.baseline;
    const entry: Loaded = { mtimeMs: stat.mtimeMs, size: stat.size };
    try { entry.baseline = readBaseline(file); } catch (e) { this.log((e as Error).message); }
    this.loaded.set(file, entry);
    this.watch(file);
    return entry.baseline;
  }

  private watch(file: string) {
    if (this.watchers.has(file)) return;
    try {
      const w = fs.watch(file, { persistent: false }, (event) => {
        // Replaced rather than rewritten: this watch saw the last of the old file; load() makes a new one.
        if (event === 'rename') { w.close(); this.watchers.delete(file); }
        this.onChange();
      });
      w.on('error', () => { w.close(); this.watchers.delete(file); });
      this.watchers.set(file, w);
    } catch { /* no watching here: the next pull re-reads it all the same */ }
  }
}

/** Dims a known finding's diagnostic in place. */
export function dimKnown(d: Diagnostic): void {
  d.severity = DiagnosticSeverity.Hint;
  d.tags = [...(d.tags ?? []), DiagnosticTag.Unnecessary];
  d.message += ' (known: recorded in the baseline)';
  (d.data as DiagnosticData).baseline = true;
}
