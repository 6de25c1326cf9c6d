// The language model tool's request (vibeguard/agentFindings): the findings of the files an
// agent names, as one line each (agent/report.ts), from the editor's text of open documents
// (an agent's edits are often unsaved) and from disk for the rest, each under its own settings.
import * as path from 'path';
import { URI } from 'vscode-uri';
import type { Config } from './config';
import type { SettingsStore } from './settings';
import type { ReportFile } from './cli/report';
import { agentReport, noticeLines, plural } from './agent/report';
import type { AgentFindingsParams, AgentFindingsResult } from './protocol';

export interface AgentFindingsDeps {
  settings: SettingsStore;
  /** A file's findings (from `text` when given, else from disk), computed on an analysis thread. */
  findings: (file: string, config: Config, text?: string) => Promise<ReportFile>;
  /** The editor's text of an open document, else undefined. */
  openText: (uri: string) => string | undefined;
}

export async function agentFindings(deps: AgentFindingsDeps, params: AgentFindingsParams): Promise<AgentFindingsResult> {
  const files: ReportFile[] = [];
  for (const uri of params.uris) {
    const file = URI.parse(uri).fsPath;
    const eff = await deps.settings.effective(uri);
    const shown = eff.workspaceRoot ? path.relative(eff.workspaceRoot, file).split(path.sep).join('/') : file;
    const found = await deps.findings(file, eff.config, deps.openText(uri));
    files.push({ ...found, path: shown });
  }
  const report = agentReport(files, 200);
  const head = report.findings
    ? `Vibe Guard: ${plural(report.findings, 'problem')} in ${plural(report.files, 'file')}. Fix each (the fix named is what Vibe Guard's quick fix would do):`
    : `Vibe Guard: no problems in ${plural(files.length, 'file')}.`;
  return { text: [head, ...report.lines, ...noticeLines(files)].join('\n'), findings: report.findings };
}
