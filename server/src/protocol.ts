// The only custom LSP surface between client and server. The client imports these types and
// names; everything else is standard LSP.
import type { Range } from 'vscode-languageserver-types';

export const SOURCE = 'vibeguard';

/** The workspace files whose changes change findings of other files (schemas, lockfiles, deployment config): the client watches them. */
export { FACT_FILES_GLOB } from '../../rules/kit/model/fact-files';
export const FIX_ALL_KIND = 'source.fixAll.vibeguard';

/** Carried in Diagnostic.data so a code action can find its finding and refuse stale ones. */
export interface DiagnosticData {
  ruleId: string;
  /** Document version the diagnostic was computed for. */
  version: number;
  start: number;
  end: number;
  fix?: { title: string; safety: 'safe' | 'unsafe' };
  /** Set when the finding sits in a block inserted in one change (an accepted suggestion). */
  accepted?: boolean;
  /** Set when the workspace's baseline records the finding (a known one, shown dimmed). */
  baseline?: boolean;
  /** The finding's fingerprint (see fingerprint.ts), which a baseline records. */
  fingerprint?: string;
}

/** Settings section `vibeguard` (read per resource through workspace/configuration). */
export interface ClientSettings {
  enable: boolean;
  /** Per-rule severity overrides: error | warning | info | off. */
  rules: Record<string, string>;
  unsafeFixes: boolean;
  /** A single change inserting at least this many lines or characters is analysed at once. */
  acceptedCode: { minLines: number; minChars: number };
  /** Milliseconds of quiet typing before analysis (ordinary edits). */
  debounceMs: number;
  /** What to do with findings the .vibeguard.json baseline records: dim them, hide them, or show them as any other. */
  baseline: { mode: BaselineMode };
}

export type BaselineMode = 'dim' | 'hide' | 'show';

export const DEFAULT_SETTINGS: ClientSettings = {
  enable: true,
  rules: {},
  unsafeFixes: false,
  acceptedCode: { minLines: 2, minChars: 80 },
  debounceMs: 150,
  baseline: { mode: 'dim' },
};

/** Client → server: analyse every supported file under the workspace folders. */
export const ScanWorkspaceRequest = 'vibeguard/scanWorkspace';
export interface ScanWorkspaceParams {
  folders: string[];
  /** Folder of the scan's result cache (the client's storage for this workspace); omitted: every file is analysed. */
  cacheDir?: string;
}
export interface ScanWorkspaceResult { files: number; findings: number; cancelled: boolean }

/** Command the server executes: apply every safe fix in one document. */
export const FixAllCommand = 'vibeguard.server.fixAll';

/**
 * Client → server: the findings of some files, written for a coding agent (the language model
 * tool `vibeguard_scan`). Open documents are analysed as the editor holds them, unsaved edits
 * included; other files as they are on disk.
 */
export const AgentFindingsRequest = 'vibeguard/agentFindings';
export interface AgentFindingsParams { uris: string[] }
export interface AgentFindingsResult { text: string; findings: number }
