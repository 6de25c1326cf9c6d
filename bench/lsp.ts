// On-type latency over real LSP: the built server (dist/server.js) over stdio, a 2,000-line
// TypeScript file, and a deterministic stream of edits an editor would send while someone types
// (one character per change) and accepts completions (one change inserting a line or a block).
// Each edit is timed from the didChange notification to the pulled diagnostics of that version.
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../test/harness/lsp';
import { Rng } from './generate';
import { summarise, type Summary } from './stats';

export type EditKind = 'char' | 'line' | 'block';

interface Edit { kind: EditKind; text: string; anchor: number }

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

// Statements typed inside route handlers: the first characters are typed one by one, the rest
// arrives as an inline completion, as with an AI completion accepted after a short prefix.
const STATEMENTS = [
  'const total = rows.length * 2;',
  "logger.debug('loaded rows', { count: rows.length, userId: req.user.id });",
  'if (!req.user) return res.status(401).json({ error: \'Not authenticated\' });',
  "const sql = 'SELECT * FROM orders WHERE id = ' + req.params.id;",
  'const limit = Math.min(Number(req.query.limit) || 20, 100);',
  "res.setHeader('Cache-Control', 'private, max-age=60');",
];

// Multi-line completions (accepted suggestions of a whole statement or block).
const BLOCKS = [
  "const { rows: audit } = await pool.query('SELECT id, action FROM audit_log WHERE user_id = $1 LIMIT 20', [req.user.id]);\n  logger.info('audit loaded', { count: audit.length });",
  "const { rows: matches } = await pool.query(`SELECT * FROM orders WHERE note LIKE '%${req.query.q}%'`);\n  res.json({ matches });\n  return;",
  "for (const row of rows) {\n    row.displayName = String(row.name ?? row.email ?? row.id);\n  }",
  "if (rows.length > 1000) {\n    logger.warn('large result', { count: rows.length });\n  }",
];

/** The edit stream: deterministic for a seed, anchored at statement starts inside handlers. */
function planEdits(count: number, rng: Rng): Edit[] {
  const edits: Edit[] = [];
  while (edits.length < count) {
    const anchor = rng.int(0, 1 << 20);
    const stmt = rng.pick(STATEMENTS);
    const typed = Math.min(stmt.length, rng.int(6, 16));
    // Enter (the editor adds the indentation), then characters one by one, then the completion.
    edits.push({ kind: 'char', text: '\n  ', anchor });
    for (let i = 0; i < typed; i++) edits.push({ kind: 'char', text: stmt[i], anchor });
    if (typed < stmt.length) edits.push({ kind: 'line', text: stmt.slice(typed), anchor });
    if (rng.chance(0.5)) edits.push({ kind: 'block', text: '\n  ' + rng.pick(BLOCKS), anchor });
  }
  return edits.slice(0, count);
}

/** Where typing happens: the end of the line before a `res.json(` at handler indentation. */
function anchorOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n  res.json('); i !== -1; i = text.indexOf('\n  res.json(', i + 1)) out.push(i);
  return out;
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
    const rng = new Rng(opts.seed);
    const plan = planEdits(opts.warmup + opts.edits, rng);
    const times: Record<EditKind, number[]> = { char: [], line: [], block: [] };
    const all: number[] = [];
    let stale = 0;
    let cursor = -1;
    let anchorKey = -1;
    let last: Diagnostic[] = [];
    for (let i = 0; i < plan.length; i++) {
      const e = plan[i];
      const doc = client.docs.get(uri)!;
      if (e.anchor !== anchorKey) {
        // A new place to type: the anchor picks one of the handler bodies of the current text.
        const anchors = anchorOffsets(doc.getText());
        cursor = anchors[e.anchor % anchors.length];
        anchorKey = e.anchor;
      }
      const pos = doc.positionAt(cursor);
      const t0 = performance.now();
      const version = await client.change(uri, [{ range: { start: pos, end: pos }, newText: e.text }]);
      last = await client.pull(uri);
      const ms = performance.now() - t0;
      cursor += e.text.length;
      if (last.some((d) => (d.data as { version?: number } | undefined)?.version !== undefined && (d.data as { version: number }).version !== version)) stale++;
      if (i >= opts.warmup) { times[e.kind].push(ms); all.push(ms); }
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
