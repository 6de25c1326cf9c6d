// A real JSON-RPC client for protocol tests: spawns the built server (dist/server.js) over
// stdio and plays the editor's side (configuration, edits, messages).
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, CodeAction, WorkspaceEdit, TextDocumentEdit, InitializeResult, TextEdit } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { ROOT } from './fixtures';
import { SERVER_ENV } from '../../server/src/serverLaunch';

export const SERVER_BUNDLE = path.join(ROOT, 'dist', 'server.js');

/** A TypeScript document with one sql-injection finding (line 4) and its safe fix. */
export const PG_BAD = [
  "import { Pool } from 'pg';",
  'const pool = new Pool();',
  'export async function find(req: any, res: any) {',
  '  const { rows } = await pool.query(`SELECT * FROM users WHERE email = \'${req.body.email}\'`);',
  '  res.json(rows);',
  '}',
  '',
].join('\n');

export class LspClient {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  readonly applied: WorkspaceEdit[] = [];
  /** Capabilities the server registered dynamically (client/registerCapability). */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** Diagnostics the server pushed (textDocument/publishDiagnostics), in order. */
  readonly pushed: { uri: string; diagnostics: Diagnostic[] }[] = [];
  settings: Record<string, unknown> = {};
  private pushWaiters = new Set<(p: { uri: string; diagnostics: Diagnostic[] }) => void>();
  docs = new Map<string, TextDocument>();
  stderr = '';
  initializeResult?: InitializeResult;

  /**
   * `args`: what node runs, by default the server bundle with --stdio, started with the
   * environment the VS Code client gives it (serverLaunch.ts).
   */
  constructor(readonly workspace: string, args?: string[]) {
    if (!fs.existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run npm run build`);
    this.proc = args
      ? spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...SERVER_ENV } });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => { this.registrations.push(...p.registrations); return null; });
    this.conn.onRequest('workspace/diagnostic/refresh', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => { this.applied.push(p.edit); return { applied: true }; });
    this.conn.onNotification('window/showMessage', (m: { type: number; message: string }) => this.messages.push(m));
    this.conn.onRequest('window/showMessageRequest', (m: { type: number; message: string }) => { this.messages.push(m); return null; });
    this.conn.onNotification('window/logMessage', (m: { message: string }) => this.logs.push(m.message));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.pushed.push(p);
      for (const w of [...this.pushWaiters]) w(p);
    });
    this.conn.listen();
  }

  /**
   * VS Code's side by default; `opts.pull: false` plays an editor without pull diagnostics (and
   * without workspace/configuration when `opts.configuration` is false); `withFolder: false`
   * starts the server without a workspace folder (a lone file opened).
   */
  async initialize(opts: { pull?: boolean; configuration?: boolean; initializationOptions?: unknown; withFolder?: boolean } = {}): Promise<InitializeResult> {
    const withFolder = opts.withFolder ?? true;
    const uri = URI.file(this.workspace).toString();
    const pull = opts.pull ?? true;
    this.initializeResult = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: withFolder ? uri : null,
      workspaceFolders: withFolder ? [{ uri, name: path.basename(this.workspace) }] : null,
      initializationOptions: opts.initializationOptions,
      capabilities: {
        workspace: { configuration: opts.configuration ?? true, ...(pull ? {} : { didChangeWatchedFiles: { dynamicRegistration: true } }), applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, diagnostics: { refreshSupport: pull } },
        textDocument: { ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}), codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, disabledSupport: true, dataSupport: true } },
        window: { showMessage: {} },
      },
    });
    await this.conn.sendNotification('initialized', {});
    return this.initializeResult!;
  }

  uriOf(rel: string): string { return URI.file(path.join(this.workspace, rel)).toString(); }

  async open(rel: string, text: string, languageId = languageIdOf(rel)): Promise<string> {
    const uri = this.uriOf(rel);
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Applies edits locally and sends them as incremental changes (one change per edit, last first). */
  async change(uri: string, edits: TextEdit[]): Promise<number> {
    const doc = this.docs.get(uri)!;
    const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
    const next = TextDocument.update(doc, sorted.map((e) => ({ range: e.range, text: e.newText })), doc.version + 1);
    this.docs.set(uri, next);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: next.version }, contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })) });
    return next.version;
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const r = await this.conn.sendRequest<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    return r.items;
  }

  async codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return (await this.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } })) ?? [];
  }

  /** Applies the edit of a code action to the local document and sends it to the server. */
  async apply(edit: WorkspaceEdit, uri: string): Promise<void> {
    const changes = (edit.documentChanges ?? []).filter((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
    const doc = this.docs.get(uri)!;
    for (const c of changes) if (c.textDocument.version !== null && c.textDocument.version !== doc.version) throw new Error(`edit for version ${c.textDocument.version}, document is at ${doc.version}`);
    await this.change(uri, changes.flatMap((c) => c.edits as TextEdit[]));
  }

  text(uri: string): string { return this.docs.get(uri)!.getText(); }

  /** The next push for `uri` that satisfies `accept`, counting pushes from index `since` on. */
  nextPush(uri: string, accept: (ds: Diagnostic[]) => boolean = () => true, since = 0): Promise<Diagnostic[]> {
    const earlier = this.pushed.slice(since).find((p) => p.uri === uri && accept(p.diagnostics));
    if (earlier) return Promise.resolve(earlier.diagnostics);
    return new Promise((resolve) => {
      const w = (p: { uri: string; diagnostics: Diagnostic[] }) => {
        if (p.uri !== uri || !accept(p.diagnostics)) return;
        this.pushWaiters.delete(w);
        resolve(p.diagnostics);
      };
      this.pushWaiters.add(w);
    });
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch { /* already gone */ }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

export function languageIdOf(file: string): string {
  if (file.endsWith('.py')) return 'python';
  if (/\.tsx$/.test(file)) return 'typescriptreact';
  if (/\.[cm]?ts$/.test(file)) return 'typescript';
  if (/\.jsx$/.test(file)) return 'javascriptreact';
  return 'javascript';
}
