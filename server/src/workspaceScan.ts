// "Vibe Guard: Scan Workspace": analyse every supported file under the workspace folders (the
// CLI's walker: .gitignore and the configuration's `ignore` honoured) and publish the findings of
// each file. A file shown in an editor also has live (pulled) diagnostics; the client shows the
// published ones only while no editor shows the file, and the server keeps them current: every
// analysis of a scanned document re-publishes them, and a closing document is re-read from disk.
// The scan reports progress, yields between slices of work so the editor's own requests are
// served meanwhile, and stops at once when cancelled.
import * as path from 'path';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CancellationToken, Connection, Diagnostic, ProgressToken, WorkDoneProgressReporter } from 'vscode-languageserver';
import { type Analysis, type Engine, languageOf } from './engine';
import type { Effective, SettingsStore } from './settings';
import { collectFiles } from './cli/walk';
import { readSource } from './cli/scanFile';
import type { ScanWorkspaceParams, ScanWorkspaceResult } from './protocol';

export interface WorkspaceScanDeps {
  connection: Connection;
  settings: SettingsStore;
  engine: () => Promise<Engine>;
  /** The text of a document the editor has open (and synchronises), else undefined. */
  openText: (uri: string) => string | undefined;
  /** The server's own Finding → Diagnostic conversion, so both paths publish the same shape. */
  toDiagnostics: (doc: TextDocument, analysis: Analysis, eff: Effective) => Diagnostic[];
}

/** Work done between two yields to the event loop: long enough to be efficient, short enough to keep typing responsive. */
const SLICE_MS = 40;
/** Progress notifications at most this often. */
const REPORT_MS = 150;

const LANGUAGE_ID: Record<string, string> = { js: 'javascript', py: 'python' };

/** A file to scan, with its folder's settings and configuration. */
interface Job { file: string; eff: Effective }

export class WorkspaceScan {
  /** Files whose findings this scan published, with the settings and configuration they were analysed under. */
  private readonly published = new Map<string, Job>();
  private running?: { cancel: () => void };

  constructor(private readonly deps: WorkspaceScanDeps) {}

  /** A scanned document was analysed live: its published findings follow. */
  analysed(doc: TextDocument, analysis: Analysis): void {
    const job = this.published.get(doc.uri);
    if (job) void this.deps.connection.sendDiagnostics({ uri: doc.uri, diagnostics: this.deps.toDiagnostics(doc, analysis, job.eff) });
  }

  /** The document closed: a scanned file's findings are those of its text on disk again. */
  closed(uri: string): void {
    const entry = this.published.get(uri);
    if (!entry) return;
    void this.deps.engine().then((engine) => {
      if (this.deps.openText(uri) !== undefined) return;
      const diagnostics = this.analyseFile(engine, uri, entry)?.diagnostics ?? [];
      void this.deps.connection.sendDiagnostics({ uri, diagnostics });
    });
  }

  async run(params: ScanWorkspaceParams & { workDoneToken?: ProgressToken }, token: CancellationToken): Promise<ScanWorkspaceResult> {
    // One scan at a time: a new request supersedes the one in progress.
    this.running?.cancel();
    let cancelledHere = false;
    const me = { cancel: () => { cancelledHere = true; } };
    this.running = me;
    // Progress through the client's token when it sent one (its own notification, cancelled by
    // cancelling the request), else a server-initiated one with its own cancel button.
    let progress: WorkDoneProgressReporter;
    let serverProgress: (WorkDoneProgressReporter & { token: CancellationToken }) | undefined;
    if (params.workDoneToken !== undefined) progress = this.deps.connection.window.attachWorkDoneProgress(params.workDoneToken);
    else progress = serverProgress = await this.deps.connection.window.createWorkDoneProgress();
    const isCancelled = () => cancelledHere || token.isCancellationRequested || serverProgress?.token.isCancellationRequested === true;
    progress.begin('Vibe Guard: scanning workspace', 0, 'listing files', true);

    const result: ScanWorkspaceResult = { files: 0, findings: 0, cancelled: false };
    const seen = new Set<string>();
    try {
      const engine = await this.deps.engine();
      const jobs = await this.listFiles(params.folders);
      const total = jobs.length;
      let done = 0;
      let sliceStart = Date.now();
      let lastReport = 0;
      for (const job of jobs) {
        if (isCancelled()) break;
        const uri = URI.file(job.file).toString();
        seen.add(uri);
        const open = this.deps.openText(uri);
        const analysed = open !== undefined
          ? this.analyseText(engine, uri, open, job)
          : this.analyseFile(engine, uri, job);
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
        if (now - sliceStart >= SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          sliceStart = Date.now();
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
      this.deps.connection.console.info(`workspace scan: ${result.findings} findings in ${result.files} of ${total} files${result.cancelled ? ' (cancelled)' : ''}`);
      return result;
    } finally {
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
      for (const w of walk.warnings) this.deps.connection.console.warn(`workspace scan: ${w}`);
      for (const file of walk.files) {
        if (taken.has(file)) continue;
        taken.add(file);
        jobs.push({ file, eff });
      }
    }
    return jobs;
  }

  private analyseFile(engine: Engine, uri: string, job: Job) {
    const read = readSource(job.file, job.eff.config.maxFileSizeKb);
    if ('notice' in read) {
      this.deps.connection.console.info(`workspace scan: ${job.file}: ${read.notice.message}`);
      return undefined;
    }
    return this.analyseText(engine, uri, read.text, job);
  }

  private analyseText(engine: Engine, uri: string, text: string, job: Job) {
    const { file, eff } = job;
    const lang = languageOf(file);
    if (!lang) return undefined;
    try {
      const analysis = engine.analyze(file, text, { config: eff.config, lang });
      const doc = TextDocument.create(uri, LANGUAGE_ID[lang], 0, text);
      return { findings: analysis.findings.length, diagnostics: this.deps.toDiagnostics(doc, analysis, eff) };
    } catch (e) {
      this.deps.connection.console.error(`workspace scan: ${file}: ${(e as Error).stack ?? e}`);
      return undefined;
    }
  }
}

function toPath(folder: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(folder) && !/^[a-z]:[\\/]/i.test(folder) ? URI.parse(folder).fsPath : folder;
}
