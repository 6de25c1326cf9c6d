// The language model tool's request (vibeguard/agentFindings): the findings of the files an
// agent names, as one line each (agent/report.ts), from the editor's text of open documents
// (an agent's edits are often unsaved) and from disk for the rest, each under its own settings.
import * as path from 'path';
import { URI } from 'vscode-uri';
import { type Analysis, type Engine, languageOf } from './engine';
import type { SettingsStore } from './settings';
import { readSource, fileFindingsOf } from './cli/scanFile';
import type { ReportFile } from './cli/report';
import { agentReport, noticeLines, plural } from './agent/report';
import type { AgentFindingsParams, AgentFindingsResult } from './protocol';

export interface AgentFindingsDeps {
  settings: SettingsStore;
  engine: () => Promise<Engine>;
  /** The analysis of an open document's current text, else undefined. */
  openAnalysis: (uri: string) => Promise<Analysis | undefined>;
}

export async function agentFindings(deps: AgentFindingsDeps, params: AgentFindingsParams): Promise<AgentFindingsResult> {
  const engine = await deps.engine();
  const files: ReportFile[] = [];
  for (const uri of params.uris) {
    const file = URI.parse(uri).fsPath;
    const eff = await deps.settings.effective(uri);
    const shown = eff.workspaceRoot ? path.relative(eff.workspaceRoot, file).split(path.sep).join('/') : file;
    const entry: ReportFile = { path: shown, findings: [], notices: [] };
    files.push(entry);
    if (!languageOf(file)) {
      entry.notices.push({ kind: 'unsupported', message: 'not a JavaScript, TypeScript or Python file; not checked' });
      continue;
    }
    let analysis = await deps.openAnalysis(uri);
    if (!analysis) {
      const read = readSource(file, eff.config.maxFileSizeKb);
      if ('notice' in read) { entry.notices.push(read.notice); continue; }
      analysis = engine.analyze(file, read.text, { config: eff.config });
      engine.forget(file);
    }
    entry.findings = fileFindingsOf(analysis);
    for (const n of analysis.notices) entry.notices.push({ kind: n.kind === 'syntax' ? 'syntax' : 'internal', message: n.message });
  }
  const report = agentReport(files, 200);
  const head = report.findings
    ? `Vibe Guard: ${plural(report.findings, 'problem')} in ${plural(report.files, 'file')}. Fix each (the fix named is what Vibe Guard's quick fix would do):`
    : `Vibe Guard: no problems in ${plural(files.length, 'file')}.`;
  return { text: [head, ...report.lines, ...noticeLines(files)].join('\n'), findings: report.findings };
}
