// Plain-data shapes shared by the CLI's main thread and its scan workers (structured-clone safe).
// The main thread imports only these types, never the engine, so it starts without loading the
// TypeScript compiler and the Python grammar; the workers do the analysis.
import type { FixSafety, Severity } from '../../../rules/kit/rule';
import type { Config } from '../config';
import type { NoticeKind } from '../notices';
import type { Dependencies } from '../cache/dependencies';

export interface ScanOptions {
  config: Config;
  /** The folder the scan started from (the current folder, or the folder of the configuration file). */
  workspaceRoot: string;
  /** The folder of the configuration file, when there is one: the workspace root of every file. */
  configRoot?: string;
  /** Compute the edits of safe single-file fixes (for SARIF `fixes`). */
  fixEdits: boolean;
  /** Time each phase and rule of every analysis (--stats). */
  timeRules?: boolean;
  /** Record what each analysis read besides its file (FileResult.dependsOn), for the result cache. */
  recordDependencies?: boolean;
}

/** Where one file's analysis time went (--stats): parse and conversion, then each rule. */
export interface FileTiming {
  parseMs: number;
  rulesMs: number;
  ruleMs: Record<string, number>;
}

/** 1-based lines and columns; columns count UTF-16 code units; endColumn is exclusive. */
export interface Region { line: number; column: number; endLine: number; endColumn: number }

export interface Replacement extends Region { text: string }

export interface FileFinding extends Region {
  rule: string;
  severity: Severity;
  message: string;
  /** The same finding's fingerprint from one commit to the next (server/src/fingerprint.ts). */
  fingerprint: string;
  fix?: { title: string; safety: FixSafety };
  /** The fix's edits of this file, when asked for and the fix touches no other file. */
  replacements?: Replacement[];
}

export type { NoticeKind };

export interface FileNotice { kind: NoticeKind; message: string }

export interface FileResult {
  file: string;
  findings: FileFinding[];
  notices: FileNotice[];
  lines: number;
  /** Present when ScanOptions.timeRules asked for it and the file was analysed. */
  timing?: FileTiming;
  /** Present when ScanOptions.recordDependencies asked for it and the file was analysed. */
  dependsOn?: Dependencies;
}

/** What --fix did to one file: the findings that remain replace the scan's when fixes applied. */
export interface FixOutcome {
  file: string;
  applied: number;
  findings?: FileFinding[];
  notices: FileNotice[];
}

export type ToWorker =
  | { type: 'scan'; batch: number; files: string[] }
  | { type: 'fix'; file: string; unsafe: boolean }
  /** Handled by the loader (codeCache.ts): save the code cache if asked, then stop. */
  | { type: 'close'; writeCache: boolean };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'results'; batch: number; results: FileResult[] }
  | { type: 'fixed'; outcome: FixOutcome }
  | { type: 'fatal'; message: string };
