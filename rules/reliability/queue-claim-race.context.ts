// What queue-claim-race reads in a function: reads of waiting rows (a SELECT or ORM lookup filtered
// on a pending-like status, not locked with SKIP LOCKED / FOR UPDATE) and the later writes that
// mark the same rows taken. A write whose WHERE repeats the status test is a compare-and-set claim
// (only one worker's UPDATE matches), so it does not count.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { sqlSink, type SqlSink } from '../kit/frameworks/sql';
import { constantString } from '../kit/model/values';
import { within } from '../kit/model/ranges';
import { factsOf } from '../kit/frameworks/function-facts';

/** Status values that mean "waiting for a worker". */
export const WAITING = /^(pending|queued|new|ready|waiting|scheduled|unprocessed|todo|open|available|created|enqueued)$/i;
const STATUS_COLUMN = /^(status|state|job_status|jobStatus|processing_status)$/;
const LOCKED = /\bfor\s+(no\s+key\s+)?update\b|\bfor\s+share\b|\bskip\s+locked\b/i;
const ORM_READ = /^(findFirst|findMany|findOne|findAll|find|findBy|findOneBy|first|all|filter|filter_by|where|limit|get|one|one_or_none|scalar|scalars|scalar_one|scalar_one_or_none|execute|select|order_by|orderBy)$/;
const ORM_LOCK = /^(forUpdate|skipLocked|forNoKeyUpdate|select_for_update|with_for_update|setLock|lock)$/;

export interface Claim {
  /** The read of waiting rows. */
  read: ir.Call;
  table: string;
  /** Raw SQL read, when it is one. */
  sink?: SqlSink;
  /** The later write that marks the rows taken. */
  write: ir.Node;
  writeSink?: SqlSink;
}

/** The constant text of a SQL sink, dynamic parts as `?`. */
export function sqlText(s: SqlSink): string {
  return s.build.parts.map((p) => (p.kind === 'const' ? p.text : ' ? ')).join('');
}

/** A quoted waiting status (`'pending'`), which every waiting SELECT has: a single scan that rules out most statements. */
const QUOTED_WAITING = new RegExp(`'${WAITING.source.slice(1, -1)}'`, 'i');

/** A SELECT of rows in a waiting status from one table, not locked: its table. */
function waitingSelect(text: string): string | undefined {
  if (!QUOTED_WAITING.test(text)) return undefined;
  const m = /^\s*\(?\s*select\b[\s\S]*?\bfrom\s+([\w."]+)[\s\S]*?\bwhere\b([\s\S]*)$/i.exec(text);
  if (!m || LOCKED.test(text)) return undefined;
  const cond = /\b(status|state|job_status|processing_status)\s*(=|in\s*\()\s*'(\w+)'/i.exec(m[2]);
  if (!cond || !WAITING.test(cond[3])) return undefined;
  // A lookup of one known row (`WHERE id = $1 AND status = 'pending'`) checks a record, it claims nothing.
  if (/\b(id|uuid|token|\w+_token)\s*=\s*(\$\d+|\?|%s|:\w+|%\(\w+\)s)/i.test(m[2])) return undefined;
  return m[1].replace(/"/g, '').toLowerCase();
}

/** An UPDATE of a table's status that does not re-check it (`WHERE id = $1`). */
function statusUpdate(text: string): string | undefined {
  const m = /^\s*update\s+([\w."]+)\s+set\b([\s\S]*?)(\bwhere\b([\s\S]*))?$/i.exec(text);
  if (!m || !/\b(status|state|job_status|processing_status)\s*=/i.test(m[2])) return undefined;
  if (m[4] && /\b(status|state|job_status|processing_status)\s*(=|in\b|<>|!=)/i.test(m[4])) return undefined;
  return m[1].replace(/"/g, '').toLowerCase();
}

/**
 * Every read of waiting rows in the file, in source order, found once per file: each function
 * asks for the reads in its body, and a call in a nested function would otherwise be read again
 * for every function around it. Most functions read none and stop there.
 */
function waitingReads(model: CodeModel): { calls: ir.Call[]; claims: Map<ir.Call, Claim> } {
  return model.cached('queueClaimReads', () => {
    const calls: ir.Call[] = [];
    const claims = new Map<ir.Call, Claim>();
    const add = (claim: Claim) => { calls.push(claim.read); claims.set(claim.read, claim); };
    for (const c of model.calls) {
      const sink = sqlSink(model, c);
      if (sink) {
        const t = waitingSelect(sqlText(sink));
        if (t) add({ read: c, table: t, sink, write: c });
        continue;
      }
      const orm = ormRead(model, c);
      if (orm) add({ read: c, table: orm, write: c });
    }
    return { calls, claims };
  });
}

/** The claims (read, then unguarded write) in one function's own body. */
export function claimsIn(model: CodeModel, fn: ir.Func): Claim[] {
  const file = waitingReads(model);
  if (!file.calls.length) return [];
  const reads = within(file.calls, fn.body).map((c) => file.claims.get(c)!);
  if (!reads.length) return [];
  const writes: { node: ir.Node; table: string; sink?: SqlSink }[] = [];
  for (const c of within(model.calls, fn.body)) {
    const sink = sqlSink(model, c);
    if (sink) {
      const u = statusUpdate(sqlText(sink));
      if (u) writes.push({ node: c, table: u, sink });
      continue;
    }
    const w = ormWrite(model, c);
    if (w) writes.push({ node: c, table: w });
  }
  for (const a of within(model.nodesOfType('Assign'), fn.body)) {
    if (a.target.type !== 'Member' || !STATUS_COLUMN.test(a.target.prop)) continue;
    if (!a.value || !constantString(model, a.value)) continue;
    const row = ir.unwrap(a.target.object);
    const from = row.type === 'Ident' ? readOfRow(model, row, reads) : undefined;
    if (from) writes.push({ node: a, table: from.table });
  }
  const out: Claim[] = [];
  const worker = WORKER_NAME.test(fn.name ?? '') || factsOf(model, fn).perRequest?.trigger === 'job';
  for (const r of reads) {
    // A claim picks the next waiting rows (LIMIT, ORDER BY, first()) or runs in a worker; a
    // handler that updates every pending row of one user is not taking work from a queue.
    if (!worker && !picksNext(model, r)) continue;
    // Each read belongs to its innermost function; writes may sit in callbacks it runs.
    if (ir.enclosingFunction(r.read) !== fn) continue;
    const w = writes.find((x) => x.node.start > r.read.end && x.table === r.table);
    if (w) out.push({ ...r, write: w.node, writeSink: w.sink });
  }
  return out;
}

const WORKER_NAME = /claim|dequeue|poll|next|worker|process|pick|take|grab|lease|job|task|consume|drain|run/i;

function picksNext(model: CodeModel, r: Claim): boolean {
  if (r.sink) return /\blimit\b|\border\s+by\b|\bfetch\s+first\b/i.test(sqlText(r.sink));
  if (/^(findFirst|first|one|get|findOne)$/.test(ir.calleeName(r.read) ?? '')) return true;
  const text = model.text.slice(r.read.start, r.read.end);
  return /\b(limit|take|orderBy|order_by|first)\b|\[\s*:?\s*\d*\s*:\s*\d+\s*\]/.test(text) || r.read.parent?.type === 'Index';
}

/** The read a row variable came from: `job = q.first()`, `for job in q:`, `const [job] = await ...`. */
function readOfRow(model: CodeModel, id: ir.Ident, reads: Claim[]): Claim | undefined {
  const b = model.resolve(id);
  if (!b) return undefined;
  const values: ir.Node[] = [];
  if (b.value) values.push(b.value);
  for (const a of b.assigns) if (a.value) values.push(a.value);
  const loop = b.node.parent?.type === 'Loop' ? b.node.parent : b.node.type === 'Loop' ? b.node : undefined;
  if (loop?.type === 'Loop' && loop.iter) values.push(loop.iter);
  return reads.find((r) => values.some((v) => ir.isInside(r.read, v) || sameName(model, v, r.read)));
}

/** `rows = await q; for (const row of rows)`: the iterated name holds the read's result. */
function sameName(model: CodeModel, v: ir.Node, read: ir.Call): boolean {
  const u = ir.unwrap(v);
  if (u.type !== 'Ident') return false;
  const val = model.valueOf(u);
  return !!val && ir.isInside(read, val);
}

/** The model a chain reads from, when it filters on a waiting status without a row lock. */
function ormRead(model: CodeModel, c: ir.Call): string | undefined {
  const method = ir.calleeName(c) ?? '';
  if (!ORM_READ.test(method) || !filtersWaiting(model, c)) return undefined;
  if (filtersOneRow(c)) return undefined;
  // A chain is one read: the outermost call (`.filter(...).order_by(...).first()`) stands for it.
  if (c.parent?.type === 'Member' && c.parent.object === c && c.parent.parent?.type === 'Call') return undefined;
  // The chain must not take row locks, before or after this call.
  if (chainMethods(c).some((m) => ORM_LOCK.test(m))) return undefined;
  // A lock taken in a nested query (`session.execute(select(Job)...with_for_update(skip_locked=True))`).
  if (/\b(with_for_update|select_for_update|forUpdate|skipLocked|forNoKeyUpdate)\b|for\s+update/i.test(model.text.slice(c.start, c.end))) return undefined;
  if (c.args.some((a) => { const u = ir.unwrap(a); return u.type === 'ObjectLit' && !!ir.propOf(u, 'lock'); })) return undefined;
  return modelKey(c);
}

function ormWrite(model: CodeModel, c: ir.Call): string | undefined {
  const method = ir.calleeName(c) ?? '';
  if (!/^(update|updateMany|update_one|update_many|updateOne|save|patch)$/.test(method)) return undefined;
  const data = c.args.map(ir.unwrap);
  const setsStatus = data.some((a) => (a.type === 'Keyword' && STATUS_COLUMN.test(a.name)) || (a.type === 'ObjectLit' && hasStatus(model, a, false)));
  if (!setsStatus || filtersWaiting(model, c, true)) return undefined;
  return modelKey(c);
}

/** The call (or one before it in the chain) filters on a waiting status. */
function filtersWaiting(model: CodeModel, c: ir.Call, whereOnly = false, depth = 0): boolean {
  for (let cur: ir.Node = c; cur.type === 'Call' || cur.type === 'Member'; cur = cur.type === 'Call' ? cur.callee : cur.object) {
    if (cur.type !== 'Call') continue;
    for (const a of cur.args) {
      const u = ir.unwrap(a);
      if (u.type === 'Keyword' && STATUS_COLUMN.test(u.name) && WAITING.test(constantString(model, u.value) ?? '')) return true;
      if (u.type === 'ObjectLit' && hasStatus(model, whereOnly ? ir.propOf(u, 'where')?.value ?? u : u, true)) return true;
      // A query built as an argument: `session.execute(select(Job).where(Job.status == "pending"))`.
      if (u.type === 'Call' && depth < 3 && filtersWaiting(model, u, whereOnly, depth + 1)) return true;
      if (u.type === 'Binary' && /^(==|===)$/.test(u.op) && ir.unwrap(u.left).type === 'Member' && STATUS_COLUMN.test((ir.unwrap(u.left) as ir.Member).prop) && WAITING.test(constantString(model, u.right) ?? '')) return true;
    }
  }
  return false;
}

/** The chain looks one known row up (by `id`, `pk` or a token): it checks a record, it claims nothing. */
function filtersOneRow(c: ir.Call): boolean {
  const ONE = /^(id|pk|uuid|token|\w+Token|\w+_token)$/;
  for (let cur: ir.Node = c; cur.type === 'Call' || cur.type === 'Member'; cur = cur.type === 'Call' ? cur.callee : cur.object) {
    if (cur.type !== 'Call') continue;
    for (const a of cur.args) {
      const u = ir.unwrap(a);
      if (u.type === 'Keyword' && ONE.test(u.name)) return true;
      const where = u.type === 'ObjectLit' ? ir.unwrap(ir.propOf(u, 'where')?.value ?? u) : undefined;
      if (where?.type === 'ObjectLit' && where.props.some((p) => p.type === 'Prop' && ONE.test(p.key ?? ''))) return true;
      if (u.type === 'Binary' && ir.unwrap(u.left).type === 'Member' && ONE.test((ir.unwrap(u.left) as ir.Member).prop)) return true;
    }
  }
  return false;
}

/** An object (or its `where`) has a status key; `waiting` asks for a waiting value. */
function hasStatus(model: CodeModel, o: ir.Node, waiting: boolean): boolean {
  const u = ir.unwrap(o);
  if (u.type !== 'ObjectLit') return false;
  for (const p of u.props) {
    if (p.type !== 'Prop') continue;
    if (p.key && STATUS_COLUMN.test(p.key)) {
      if (!waiting) return true;
      if (WAITING.test(constantString(model, p.value) ?? '')) return true;
    }
    if (p.key === 'where' || p.key === 'data') if (hasStatus(model, p.value, waiting)) return true;
  }
  return false;
}

/** Which model a chain talks to: `prisma.job`, `Job.objects`, `knex('jobs')`, `session.query(Job)`. */
function modelKey(c: ir.Call): string {
  let cur: ir.Node = c;
  while (cur.type === 'Call' || cur.type === 'Member') {
    const next: ir.Node = cur.type === 'Call' ? cur.callee : cur.object;
    // SQLAlchemy 2.0: `session.execute(select(Job).where(...))` reads the model given to select().
    if (next.type === 'Call' && /^(execute|scalars|scalar)$/.test(ir.calleeName(next) ?? '') && next.args[0]) {
      const sel = ir.find(next.args[0], (x) => x.type === 'Call' && x.callee.type === 'Ident' && x.callee.name === 'select') as ir.Call | undefined;
      const m = sel?.args[0] && ir.unwrap(sel.args[0]);
      if (m?.type === 'Ident') return m.name.toLowerCase();
    }
    if (next.type === 'Call' && /^(query|from|table|knex|db)$/.test(ir.calleeName(next) ?? '') && next.args[0]) {
      const a = ir.unwrap(next.args[0]);
      return (a.type === 'Str' ? a.value : a.type === 'Ident' ? a.name : '?').toLowerCase();
    }
    if (next.type === 'Ident') {
      const parent = cur.type === 'Member' ? cur.prop : '';
      return (/^(prisma|db|ctx|tx)$/.test(next.name) ? parent : next.name).toLowerCase();
    }
    cur = next;
  }
  return '?';
}

function chainMethods(c: ir.Call): string[] {
  const out: string[] = [];
  let cur: ir.Node = c;
  while (cur.type === 'Call' || cur.type === 'Member') {
    if (cur.type === 'Member') out.push(cur.prop);
    cur = cur.type === 'Call' ? cur.callee : cur.object;
  }
  for (let up: ir.Node = c; up.parent?.type === 'Member' && up.parent.object === up; ) {
    out.push(up.parent.prop);
    up = up.parent.parent?.type === 'Call' ? up.parent.parent : up.parent;
  }
  return out;
}
