// An analysis thread of the language server: its own Engine, one job at a time (analyse a
// document, compute its code actions, scan a file of the workspace). The server's main thread
// stays free for the protocol; it cancels a job by writing the job's id into the shared `cancel`
// cell, which the engine checks as it goes (limits.ts), and stops a thread that does not stop.
import { parentPort, workerData } from 'worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Cancelled, Engine, type FixEnvironment } from './engine';
import { fixAllAction, quickFixes } from './codeActions';
import { toDiagnostics } from './diagnostics';
import { readSource } from './cli/readSource';
import { fileFindingsOf } from './cli/scanFile';
import type { ReportFile } from './cli/report';
import { fingerprintFindings } from './fingerprint';
import { languageOf } from './languages';
import { refuseTarget } from './writes/targets';
import type { FromAnalysisWorker, JobRequest, JobResult, ToAnalysisWorker } from './analysis/messages';
import { DependencyLog } from './cache/dependencies';

const port = parentPort;
if (!port) throw new Error('analysisWorker.js runs as a worker thread of the Vibe Guard language server');
const cancel = new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel);
const send = (msg: FromAnalysisWorker) => port.postMessage(msg);
let current = -1;
const isCancelled = () => Atomics.load(cancel, 0) === current;

const LANGUAGE_ID = { js: 'javascript', py: 'python' } as const;

function run(engine: Engine, job: JobRequest): JobResult {
  switch (job.kind) {
    case 'analyze': {
      const a = engine.analyze(job.doc.file, job.doc.text, { config: job.config, lang: job.doc.lang, isCancelled });
      return { kind: 'analyze', result: { findings: a.findings, notices: a.notices, fingerprints: a.model ? fingerprintFindings(a.model, a.findings) : [] } };
    }
    case 'actions': {
      const { doc, config, workspaceRoot } = job;
      const analysis = engine.analyze(doc.file, doc.text, { config, lang: doc.lang, isCancelled });
      const td = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.text);
      // Fixes write other files only inside the workspace root, never through a link; an
      // untitled document has no root, so it gets no fix that writes other files.
      const env: FixEnvironment = { workspaceRoot, allowWrite: (p) => !!workspaceRoot && refuseTarget(workspaceRoot, p) === undefined };
      const ctx = { engine, doc: td, analysis, config, env };
      const actions = job.quickFix ? quickFixes(ctx, job.diagnostics) : [];
      const all = job.fixAll ? fixAllAction(ctx) : undefined;
      if (all) actions.push(all);
      return { kind: 'actions', actions };
    }
    case 'scan': {
      const lang = languageOf(job.file);
      if (!lang) return { kind: 'scan' };
      let text = job.text;
      if (text === undefined) {
        const read = readSource(job.file, job.config.maxFileSizeKb);
        if ('notice' in read) return { kind: 'scan', log: `${job.file}: ${read.notice.message}` };
        text = read.text;
      }
      const dependencies = job.recordDependencies ? new DependencyLog() : undefined;
      const analysis = engine.analyze(job.file, text, { config: job.config, lang, isCancelled, dependencies });
      const doc = TextDocument.create(job.uri, LANGUAGE_ID[lang], 0, text);
      const fingerprints = analysis.model ? fingerprintFindings(analysis.model, analysis.findings) : [];
      const diagnostics = toDiagnostics(doc, { ...analysis, fingerprints });
      engine.forget(job.file);
      return { kind: 'scan', scanned: { findings: analysis.findings.length, diagnostics }, dependsOn: dependencies?.done() };
    }
    case 'findings': {
      // For agents: the file's findings in the CLI's shape (1-based, fingerprinted).
      const report: ReportFile = { path: job.file, findings: [], notices: [] };
      if (!languageOf(job.file)) {
        report.notices.push({ kind: 'unsupported', message: 'not a JavaScript, TypeScript or Python file; not checked' });
        return { kind: 'findings', report };
      }
      let text = job.text;
      if (text === undefined) {
        const read = readSource(job.file, job.config.maxFileSizeKb);
        if ('notice' in read) { report.notices.push(read.notice); return { kind: 'findings', report }; }
        text = read.text;
      }
      const analysis = engine.analyze(job.file, text, { config: job.config, isCancelled });
      report.findings = fileFindingsOf(analysis);
      engine.forget(job.file);
      for (const n of analysis.notices) report.notices.push({ kind: n.kind, message: n.message });
      return { kind: 'findings', report };
    }
  }
}

Engine.create().then(
  (engine) => {
    port.on('message', (msg: ToAnalysisWorker) => {
      if (msg.type === 'forget') { engine.forget(msg.file); return; }
      if (msg.type === 'workspace-changed') { engine.workspaceChanged(); return; }
      if (msg.type !== 'job') return;
      current = msg.id;
      try {
        send({ type: 'done', id: msg.id, result: run(engine, msg.job) });
      } catch (e) {
        if (e instanceof Cancelled) send({ type: 'cancelled', id: msg.id });
        else send({ type: 'failed', id: msg.id, message: (e as Error)?.stack ?? String(e) });
      } finally {
        current = -1;
      }
    });
    send({ type: 'ready' });
  },
  (e: Error) => send({ type: 'fatal', message: e.message }),
);
