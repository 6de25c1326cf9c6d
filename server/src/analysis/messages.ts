// The messages between the language server and its analysis workers (structured-clone safe).
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../../../rules/kit/rule';
import type { Config } from '../config';
import type { Lang, Notice } from '../engine';
import type { ReportFile } from '../cli/report';
import type { Dependencies } from '../cache/dependencies';

/** A document as the worker needs it. */
export interface DocumentText { uri: string; file: string; version: number; languageId: string; lang?: Lang; text: string }

export type JobRequest =
  | { kind: 'analyze'; doc: DocumentText; config: Config }
  | { kind: 'actions'; doc: DocumentText; config: Config; workspaceRoot?: string; diagnostics: Diagnostic[]; quickFix: boolean; fixAll: boolean }
  | { kind: 'scan'; file: string; uri: string; config: Config; text?: string; recordDependencies?: boolean }
  | { kind: 'findings'; file: string; config: Config; text?: string };

/** A document's findings and notices, with each finding's fingerprint (for baselines). */
export interface AnalysisResult { findings: Finding[]; notices: Notice[]; fingerprints: string[] }

export type JobResult =
  | { kind: 'analyze'; result: AnalysisResult }
  | { kind: 'actions'; actions: CodeAction[] }
  | { kind: 'scan'; scanned?: { findings: number; diagnostics: Diagnostic[] }; log?: string; dependsOn?: Dependencies }
  | { kind: 'findings'; report: ReportFile };

export type ToAnalysisWorker =
  | { type: 'job'; id: number; job: JobRequest }
  | { type: 'forget'; file: string }
  | { type: 'workspace-changed' }
  /** Handled by the code-cache loader (codeCache.ts) the thread starts through. */
  | { type: 'save-code-cache' };

export type FromAnalysisWorker =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'done'; id: number; result: JobResult }
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string };
