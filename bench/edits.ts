// The on-type edit stream: deterministic for a seed, anchored at statement starts inside route
// handlers of the generated file. The LSP bench (lsp.ts) sends it as didChanges; the incremental
// analysis test (test/incremental.test.ts) replays the same versions in process and compares
// each incremental analysis with a from-scratch one.
import { Rng } from './generate';

export type EditKind = 'char' | 'line' | 'block';

interface PlannedEdit { kind: EditKind; text: string; anchor: number }

/** One edit of the stream, as offsets into the text before it, with the text after it. */
export interface ReplayedEdit { kind: EditKind; start: number; newText: string; before: string; after: string }

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

function planEdits(count: number, rng: Rng): PlannedEdit[] {
  const edits: PlannedEdit[] = [];
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

/** The stream of `count` edits applied one after another to `text`, each an insertion. */
export function* replayEdits(text: string, count: number, seed: number): Generator<ReplayedEdit> {
  const plan = planEdits(count, new Rng(seed));
  let cur = text;
  let cursor = -1;
  let anchorKey = -1;
  for (const e of plan) {
    if (e.anchor !== anchorKey) {
      // A new place to type: the anchor picks one of the handler bodies of the current text.
      const anchors = anchorOffsets(cur);
      cursor = anchors[e.anchor % anchors.length];
      anchorKey = e.anchor;
    }
    const after = cur.slice(0, cursor) + e.text + cur.slice(cursor);
    yield { kind: e.kind, start: cursor, newText: e.text, before: cur, after };
    cur = after;
    cursor += e.text.length;
  }
}

/** The bench's on-type stream: the 2,000-line file of this seed, 30 warm-up edits, 200 timed. */
export const ON_TYPE_STREAM = { seed: 20240601, lines: 2000, warmup: 30, edits: 200 } as const;
