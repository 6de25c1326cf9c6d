// "Vibe Guard: Scan Workspace": analyse every supported file under the workspace folders (the
// CLI's walker: .gitignore and the configuration's `ignore` honoured) and publish the findings of
// each file. A file shown in an editor also has live (pulled) diagnostics; the client shows the
// published ones only while no editor shows the file, and the server keeps them current: every
// analysis of a scanned document re-publishes them, and a closing document is re-read from disk.
// The files are analysed on the analysis threads, so the editor's own requests are served
// meanwhile; the scan reports progress and stops at once when cancelled.
import * as path from 'path';
import { URI } from 'vscode-uri';
import { CancellationTokenSource, ErrorCodes, ResponseError, type CancellationToken, type Connection, type Diagnostic, type ProgressToken, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type { Effective, SettingsStore } from './settings';
import type { Log } from './lspGuards';
import { collectFiles } from './cli/walk';
import type { ScanWorkspaceParams, ScanWorkspaceResult } from './protocol';
import { EditorScanCache } from './cache/editorScan';

export interface WorkspaceScanDeps {
  connection: Connection;
  settings: SettingsStore;
  log: Log;
  /** The text of a document the editor has open (and synchronises), else undefined. */
  openText: (uri: string) => string | undefined;
  /** Analyses one file (the open text when given, else the file on disk) into diagnostics, through the result cache when given. */
  scan: (file: string, uri: string, eff: Effective, text?: string, token?: CancellationToken, cache?: EditorScanCache) => Promise<{ findings: number; diagnostics: Diagnostic[] } | undefined>;
  /** The analysis threads' script: its code is the fingerprint of cached results. */
  workerScript: string;
}

/** Progress notifications at most this often. */
const REPORT_MS = 150;

/** A file to scan, with its folder's settings and configuration. */
interface Job { file: string; eff: Effective }

export class WorkspaceScan {
  /** Files whose findings this scan published, with the settings and configuration they were analysed under. */
  private readonly published = new Map<string, Job>();
  private running?: { cancel: () => void };

  constructor(private readonly deps: WorkspaceScanDeps) {}

  /** A scanned document was analysed live: its published findings follow. */
  analysed(uri: string, diagnostics: Diagnostic[]): void {
    if (this.published.has(uri)) void this.deps.connection.sendDiagnostics({ uri, diagnostics });
  }

  /** The document closed: a scanned file's findings are those of its text on disk again. */
  closed(uri: string): void {
    const entry = this.published.get(uri);
    if (!entry) return;
    void this.analyse(entry.file, uri, entry.eff).then((analysed) => {
      if (this.deps.openText(uri) !== undefined) return;
      void this.deps.connection.sendDiagnostics({ uri, diagnostics: analysed?.diagnostics ?? [] });
    });
  }

  async run(params: ScanWorkspaceParams & { workDoneToken?: ProgressToken }, token: CancellationToken): Promise<ScanWorkspaceResult> {
    // `folders` is optional in practice: none (or an empty list) means the workspace folders.
    const given: unknown = (params as Partial<ScanWorkspaceParams> | null)?.folders;
    if (given !== undefined && !(Array.isArray(given) && given.every((f) => typeof f === 'string'))) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'vibeguard/scanWorkspace: "folders" must be a list of folder paths or URIs');
    }
    const folders = (given as string[] | undefined) ?? [];
    const cacheDir: unknown = (params as Partial<ScanWorkspaceParams> | null)?.cacheDir;
    if (cacheDir !== undefined && (typeof cacheDir !== 'string' || !path.isAbsolute(cacheDir))) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'vibeguard/scanWorkspace: "cacheDir" must be an absolute folder path');
    }
    const cache = cacheDir === undefined ? undefined : new EditorScanCache(cacheDir, this.deps.workerScript, (m) => this.deps.log.warn(`workspace scan: ${m}`));
    if (!folders.length && !this.deps.settings.workspaceFolders.length) {
      throw new ResponseError(ErrorCodes.InvalidParams, 'vibeguard/scanWorkspace: no folder to scan (pass "folders" or open a workspace folder)');
    }
    // One scan at a time: a new request supersedes the one in progress.
    this.running?.cancel();
    const stop = new CancellationTokenSource();
    const me = { cancel: () => stop.cancel() };
    this.running = me;
    token.onCancellationRequested(() => stop.cancel());
    // Progress through the client's token when it sent one (its own notification, cancelled by
    // cancelling the request), else a server-initiated one with its own cancel button.
    let progress: WorkDoneProgressReporter;
    let serverProgress: (WorkDoneProgressReporter & { token: CancellationToken }) | undefined;
    if (params?.workDoneToken !== undefined) progress = this.deps.connection.window.attachWorkDoneProgress(params.workDoneToken);
    else progress = serverProgress = await this.deps.connection.window.createWorkDoneProgress();
    serverProgress?.token.onCancellationRequested(() => stop.cancel());
    const isCancelled = () => stop.token.isCancellationRequested;
    progress.begin('Vibe Guard: scanning workspace', 0, 'listing files', true);

    const result: ScanWorkspaceResult = { files: 0, findings: 0, cancelled: false };
    const seen = new Set<string>();
    try {
      const jobs = await this.listFiles(folders);
      const total = jobs.length;
      let done = 0;
      let lastReport = 0;
      for (const job of jobs) {
        if (isCancelled()) break;
        const uri = URI.file(job.file).toString();
        seen.add(uri);
        const analysed = await this.analyse(job.file, uri, job.eff, this.deps.openText(uri), stop.token, cache);
        done++;
        if (analysed) {
          result.files++;
          result.findings += analysed.findings;
          if (analysed.diagnostics.length || this.published.has(uri)) {
            void this.deps.connection.sendDiagnostics({ uri, diagnostics: analysed.diagnostics });
          }
          if (analysed.diagnostics.length) this.published.set(uri, job);
          else this.published.delete(uri);
        }
        const now = Date.now();
        if (now - lastReport >= REPORT_MS) {
          lastReport = now;
          progress.report(Math.floor((done / Math.max(1, total)) * 100), `${done}/${total} files, ${path.basename(job.file)}`);
        }
      }
      result.cancelled = isCancelled();
      if (!result.cancelled) {
        // Files published by an earlier scan that are gone or now ignored lose their findings.
        for (const uri of [...this.published.keys()]) {
          if (seen.has(uri)) continue;
          this.published.delete(uri);
          void this.deps.connection.sendDiagnostics({ uri, diagnostics: [] });
        }
      }
      this.deps.log.info(`workspace scan: ${result.findings} findings in ${result.files} of ${total} files${cache ? `, ${cache.hits} from the result cache` : ''}${result.cancelled ? ' (cancelled)' : ''}`);
      return result;
    } finally {
      // What a cancelled scan analysed is kept too.
      cache?.save();
      progress.done();
      if (this.running === me) this.running = undefined;
    }
  }

  /** Supported files of every folder (given, else the workspace folders), each with its folder's configuration. */
  private async listFiles(folders: readonly string[]): Promise<Job[]> {
    const roots = (folders.length ? folders : this.deps.settings.workspaceFolders).map(toPath);
    const jobs: Job[] = [];
    const taken = new Set<string>();
    for (const root of roots) {
      const eff = await this.deps.settings.effective(URI.file(root).toString());
      if (!eff.settings.enable) continue;
      const walk = collectFiles([root], root, { workspaceRoot: eff.workspaceRoot ?? root, ignoreGlobs: eff.config.ignore });
      for (const w of walk.warnings) this.deps.log.warn(`workspace scan: ${w}`);
      for (const file of walk.files) {
        if (taken.has(file)) continue;
        taken.add(file);
        jobs.push({ file, eff });
      }
    }
    return jobs;
  }

  private async analyse(file: string, uri: string, eff: Effective, text?: string, token?: CancellationToken, cache?: EditorScanCache) {
    try {
      return await this.deps.scan(file, uri, eff, text, token, cache);
    } catch (e) {
      if (!token?.isCancellationRequested) this.deps.log.error(`workspace scan: ${file}: ${(e as Error).message}`);
      return undefined;
    }
  }
}

function toPath(folder: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(folder) && !/^[a-z]:[\\/]/i.test(folder) ? URI.parse(folder).fsPath : folder;
}
