// Pushed diagnostics for editors that do not pull them (Neovim before 0.10, Helix, and many
// others): after each open, change or configuration change, the document's diagnostics are
// computed by the same code that answers a pull (same debounce, same cache, same data for code
// actions) and sent with textDocument/publishDiagnostics. A newer change supersedes a push still
// waiting: only the latest version of a document is ever published.
import { CancellationTokenSource, LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type DocumentDiagnosticParams, type DocumentDiagnosticReport } from 'vscode-languageserver/node';

export type PullHandler = (params: DocumentDiagnosticParams, token: CancellationToken) => Promise<DocumentDiagnosticReport>;

export class DiagnosticsPusher {
  private readonly pending = new Map<string, CancellationTokenSource>();

  constructor(private readonly connection: Connection, private readonly pull: PullHandler) {}

  /** Computes and publishes the document's diagnostics (replacing a push still in progress). */
  async push(uri: string): Promise<void> {
    this.pending.get(uri)?.cancel();
    const source = new CancellationTokenSource();
    this.pending.set(uri, source);
    try {
      const report = await this.pull({ textDocument: { uri } }, source.token);
      if (source.token.isCancellationRequested || report.kind !== 'full') return;
      await this.connection.sendDiagnostics({ uri, diagnostics: report.items });
    } catch (e) {
      // Cancelled, or the document changed meanwhile: the push for the newer version follows.
      if (e instanceof ResponseError && (e.code === LSPErrorCodes.RequestCancelled || e.code === LSPErrorCodes.ServerCancelled)) return;
      this.connection.console.error(`diagnostics of ${uri} failed: ${(e as Error).stack ?? e}`);
    } finally {
      if (this.pending.get(uri) === source) this.pending.delete(uri);
      source.dispose();
    }
  }

  /** The document closed: its diagnostics go with it. */
  closed(uri: string): void {
    this.pending.get(uri)?.cancel();
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}
