// On-type latency over real LSP: the built server (dist/server.js) over stdio, a 2,000-line
// TypeScript file, and a deterministic stream of edits an editor would send while someone types
// (one character per change) and accepts completions (one change inserting a line or a block).
// Each edit is timed from the didChange notification to the pulled diagnostics of that version.
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../test/harness/lsp';
import { replayEdits, type EditKind } from './edits';
import { summarise, type Summary } from './stats';

export interface OnTypeResult {
  lines: number;
  edits: number;
  /** All edits, then per kind: single characters, inline (one-line) completions, multi-line inserts. */
  all: Summary;
  byKind: Record<EditKind, Summary>;
  /** Responses whose diagnostics carried another document version (should be 0). */
  staleResponses: number;
  findingsAtEnd: number;
  debounceMs: number;
}

export async function measureOnType(workspace: string, text: string, opts: { edits: number; warmup: number; seed: number }): Promise<OnTypeResult> {
  const client = new LspClient(workspace);
  // The default 150 ms quiet period before analysing ordinary typing is a deliberate wait, not
  // work; it is set to 0 so the figure is the server's own latency (block inserts skip it anyway).
  client.settings = { debounceMs: 0 };
  try {
    await client.initialize();
    const uri = await client.open('src/routes/large.ts', text, 'typescript');
    await client.pull(uri);
    const times: Record<EditKind, number[]> = { char: [], line: [], block: [] };
    const all: number[] = [];
    let stale = 0;
    let i = 0;
    let last: Diagnostic[] = [];
    for (const e of replayEdits(text, opts.warmup + opts.edits, opts.seed)) {
      const doc = client.docs.get(uri)!;
      const pos = doc.positionAt(e.start);
      const t0 = performance.now();
      const version = await client.change(uri, [{ range: { start: pos, end: pos }, newText: e.newText }]);
      last = await client.pull(uri);
      const ms = performance.now() - t0;
      if (last.some((d) => (d.data as { version?: number } | undefined)?.version !== undefined && (d.data as { version: number }).version !== version)) stale++;
      if (i++ >= opts.warmup) { times[e.kind].push(ms); all.push(ms); }
    }
    return {
      lines: text.split('\n').length - 1,
      edits: all.length,
      all: summarise(all),
      byKind: { char: summarise(times.char), line: summarise(times.line), block: summarise(times.block) },
      staleResponses: stale,
      findingsAtEnd: last.filter((d) => !String(d.code ?? '').startsWith('notice:')).length,
      debounceMs: 0,
    };
  } finally {
    await client.close();
  }
}
