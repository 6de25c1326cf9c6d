// The analyses of open documents, one per document version, computed by the analysis threads
// (service.ts). Only plain results are kept here (findings and notices, no text or syntax tree),
// so thousands of open documents cost little memory on the protocol thread. A failed analysis
// (out of time, a thread that had to be stopped) is remembered for its version like any other
// result: pulling the same version again does not run it again.
import { URI } from 'vscode-uri';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Config } from '../config';
import { LANGUAGE_IDS, languageOf, type Lang } from '../languages';
import type { AnalysisFacts } from '../diagnostics';
import { JobCancelled, type AnalysisService } from './service';
import type { DocumentText } from './messages';

export interface Entry { version: number; facts: AnalysisFacts; accepted?: Range }

interface Token { isCancellationRequested: boolean; onCancellationRequested(cb: () => void): unknown }

export class DocumentAnalyses {
  private entries = new Map<string, Entry>();

  constructor(private readonly service: AnalysisService, private readonly log: { info(m: string): void; error(m: string): void }) {}

  get(uri: string, version: number): Entry | undefined {
    const e = this.entries.get(uri);
    return e?.version === version ? e : undefined;
  }

  /** Whether the document was analysed before (at any version): edits then wait for a typing pause. */
  has(uri: string): boolean { return this.entries.has(uri); }

  delete(uri: string): void {
    this.entries.delete(uri);
    this.service.cancel(uri);
    this.service.forget(uri, URI.parse(uri).fsPath);
  }

  clear(): void { this.entries.clear(); }

  /** Analyses the document's version (rejects with JobCancelled when cancelled or superseded). */
  async analyse(doc: TextDocument, config: Config, token?: Token, accepted?: Range): Promise<Entry> {
    const text = documentText(doc);
    const t0 = performance.now();
    let facts: AnalysisFacts;
    try {
      const r = await this.service.run({ kind: 'analyze', doc: text, config }, config.timeBudgetMs, doc.uri, token);
      facts = r.kind === 'analyze' ? r.result : { findings: [], notices: [] };
    } catch (e) {
      if (e instanceof JobCancelled) throw e;
      this.log.error(`analysis of ${text.file} failed: ${(e as Error).message}`);
      facts = { findings: [], notices: [{ kind: e instanceof Error && /time budget/.test(e.message) ? 'budget' : 'internal', message: `could not analyse this file: ${(e as Error).message}` }] };
    }
    for (const n of facts.notices) if (n.kind !== 'syntax') this.log.info(`${text.file}: ${n.message}`);
    const ms = performance.now() - t0;
    if (ms > 200) this.log.info(`${text.file}: analysis took ${ms.toFixed(0)} ms`);
    const entry = { version: doc.version, facts, accepted };
    this.entries.set(doc.uri, entry);
    return entry;
  }

  /** Quick fixes and fix-all for the document, computed by an analysis thread. */
  async actions(doc: TextDocument, config: Config, workspaceRoot: string | undefined, diagnostics: Diagnostic[], quickFix: boolean, fixAll: boolean): Promise<CodeAction[]> {
    const r = await this.service.run({ kind: 'actions', doc: documentText(doc), config, workspaceRoot, diagnostics, quickFix, fixAll }, config.timeBudgetMs, doc.uri);
    return r.kind === 'actions' ? r.actions : [];
  }
}

function documentText(doc: TextDocument): DocumentText {
  const file = URI.parse(doc.uri).fsPath;
  const lang: Lang | undefined = LANGUAGE_IDS[doc.languageId] ?? languageOf(file);
  return { uri: doc.uri, file, version: doc.version, languageId: doc.languageId, lang, text: doc.getText() };
}
