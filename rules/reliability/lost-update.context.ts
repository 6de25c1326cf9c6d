// What lost-update reads in a function: a counter column (balance, stock, credits...) written with
// a value computed in code from a row the function read from the database earlier, with no row
// lock on the read and no version check on the write.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { sqlSink, type SqlSink } from '../kit/frameworks/sql';
import { isDbRead } from '../kit/frameworks/effects';
import { within } from '../kit/model/ranges';

/** Columns that hold a running quantity many requests change at once. */
export const COUNTER = /(balance|stock|quantity|qty|inventory|credit|points|seats|remaining|available|count|views|likes|votes|usage|coins|tokens_left|uses|downloads|spots|tickets_left|capacity)/i;
const LOCKED = /\bfor\s+(no\s+key\s+)?update\b/i;
const ORM_LOCK = /^(forUpdate|select_for_update|with_for_update|setLock|lock|forNoKeyUpdate)$/;

export interface LostUpdate {
  /** The write: an UPDATE call, an ORM update call, or an assignment to the row's field. */
  write: ir.Node;
  column: string;
  /** The arithmetic that computes the new value (`acct.balance - amount`). */
  arith: ir.Binary;
  /** The read whose row the arithmetic uses. */
  read: ir.Call;
  sink?: SqlSink;
  /** For SQL writes: the parameter element holding the computed value, and its 1-based placeholder number. */
  param?: ir.Node;
  placeholder?: number;
  /** For ORM writes: the property holding the computed value. */
  prop?: ir.Prop;
  /** The write is Prisma's `update({ where, data })`, which takes `{ decrement: n }`. */
  prismaData?: boolean;
}

export function lostUpdatesIn(model: CodeModel, fn: ir.Func): LostUpdate[] {
  const { writes, counters } = counterWrites(model);
  if (!writes.length && !counters.length) return [];
  const out: LostUpdate[] = [];
  for (const c of within(writes, fn.body)) {
    if (ir.enclosingFunction(c) !== fn) continue;
    const sink = sqlSink(model, c);
    if (sink) { const f = sqlWrite(model, c, sink); if (f) out.push(f); continue; }
    const f = ormWrite(model, c);
    if (f) out.push(f);
  }
  for (const a of within(counters, fn.body)) {
    if (ir.enclosingFunction(a) !== fn) continue;
    // `acct.balance -= amount` or `acct.balance = acct.balance - amount`, then a save or commit.
    const arith = a.op === '-=' || a.op === '+=' ? syntheticArith(a) : arithOf(model, a.value);
    const read = arith && rowRead(model, a.target.object);
    if (!arith || !read || !savedAfter(model, fn, a)) continue;
    out.push({ write: a, column: a.target.prop, arith, read });
  }
  return out.filter((f) => f.read.end <= f.write.start && !readLocked(model, f.read));
}

const ORM_UPDATE = /^(update|updateOne|update_one|findByIdAndUpdate|findOneAndUpdate|upsert)$/;

/** `acct.balance = ...`, `acct.balance -= ...`: an assignment to a counter field. */
type CounterAssign = ir.Assign & { target: ir.Member; value: ir.Node };

/**
 * The calls that may write a counter (an UPDATE statement with a counter column, an ORM update)
 * and the assignments to a counter field, in source order, picked once per file: every function
 * reads its own from these instead of testing each call of its body, nested bodies again.
 */
function counterWrites(model: CodeModel): { writes: ir.Call[]; counters: CounterAssign[] } {
  return model.cached('lostUpdate:candidates', () => {
    const writes = model.calls.filter((c) => {
      const sink = sqlSink(model, c);
      if (!sink) return ORM_UPDATE.test(ir.calleeName(c) ?? '');
      const text = sqlText(sink);
      return UPDATE_SET.test(text) && COUNTER.test(text);
    });
    const counters = model.nodesOfType('Assign').filter((a): a is CounterAssign => a.target.type === 'Member' && COUNTER.test(a.target.prop) && !!a.value);
    return { writes, counters };
  });
}

const UPDATE_SET = /^\s*update\s+[\w."]+\s+set\b([\s\S]*?)(\bwhere\b([\s\S]*))?$/i;

function sqlText(sink: SqlSink): string {
  return sink.build.parts.map((p) => (p.kind === 'const' ? p.text : ' ? ')).join('');
}

function sqlWrite(model: CodeModel, c: ir.Call, sink: SqlSink): LostUpdate | undefined {
  const text = sqlText(sink);
  const m = UPDATE_SET.exec(text);
  if (!m) return undefined;
  const params = sink.paramsArg && listElements(model, sink.paramsArg);
  if (!params) return undefined;
  // Each `col = <placeholder>` of the SET clause whose parameter is computed from a read row.
  const setRe = /(\w+)\s*=\s*(\$(\d+)|\?|%s)/g;
  const before = text.slice(0, text.length - (m[2]?.length ?? 0));
  let positional = 0;
  for (let s; (s = setRe.exec(before)); ) {
    const index = s[3] ? Number(s[3]) - 1 : positional;
    if (!s[3]) positional++;
    if (!COUNTER.test(s[1]) || m[3] && new RegExp(`\\b(version|${s[1]})\\s*=`, 'i').test(m[3])) continue;
    const param = params[index];
    const arith = param && arithOf(model, param);
    const read = arith && readUnder(model, arith);
    if (arith && read) return { write: c, column: s[1], arith, read, sink, param, placeholder: index + 1 };
  }
  return undefined;
}

function ormWrite(model: CodeModel, c: ir.Call): LostUpdate | undefined {
  if (!ORM_UPDATE.test(ir.calleeName(c) ?? '')) return undefined;
  for (const a of c.args) {
    const o = ir.unwrap(a);
    if (o.type !== 'ObjectLit') continue;
    const where = ir.propOf(o, 'where')?.value;
    const dataProp = ir.propOf(o, 'data');
    const data = ir.unwrap(dataProp?.value ?? ir.propOf(o, '$set')?.value ?? o);
    if (data.type !== 'ObjectLit') continue;
    for (const p of data.props) {
      if (p.type !== 'Prop' || !p.key || !COUNTER.test(p.key)) continue;
      // An optimistic check in the where (`version`, or the old value of the column) makes it safe.
      if (where && /\bversion\b/.test(model.text.slice(where.start, where.end))) continue;
      const arith = arithOf(model, p.value);
      const read = arith && readUnder(model, arith);
      if (arith && read) return { write: c, column: p.key, arith, read, prop: p, prismaData: !!dataProp && !!where };
    }
  }
  return undefined;
}

/** `x - y` / `x + y` (followed through one local name) where a side reads a database row. */
function arithOf(model: CodeModel, n: ir.Node, depth = 0): ir.Binary | undefined {
  const u = ir.unwrap(n);
  if (u.type === 'Binary' && (u.op === '-' || u.op === '+')) return u;
  if (u.type === 'Call' && /^(Number|parseInt|parseFloat|int|float|Decimal|round|Math\.max|max|String|str)$/.test(ir.dottedName(u.callee) ?? '') && u.args[0] && depth < 3) return arithOf(model, u.args[u.args.length > 1 ? 1 : 0], depth + 1) ?? arithOf(model, u.args[0], depth + 1);
  if (u.type === 'Ident' && depth < 3) {
    const v = model.valueOf(u);
    return v ? arithOf(model, v, depth + 1) : undefined;
  }
  return undefined;
}

/** The database read whose row one operand of the arithmetic comes from. */
function readUnder(model: CodeModel, b: ir.Binary): ir.Call | undefined {
  return rowRead(model, b.left) ?? rowRead(model, b.right);
}

/** `acct.balance`, `row[0]`, `balance` (bound to either): the read call the value comes from. */
export function rowRead(model: CodeModel, n: ir.Node, depth = 0): ir.Call | undefined {
  if (depth > 6) return undefined;
  const u = ir.unwrap(n);
  if (u.type === 'Member') return rowRead(model, u.object, depth + 1);
  if (u.type === 'Index') return rowRead(model, u.object, depth + 1);
  if (u.type === 'Call') {
    if (isDbRead(model, u) && (!/^(get|getattr|getItem|get_json)$/.test(ir.calleeName(u) ?? '') || /(^|\.)(objects|query|session|db|prisma)(\(\))?\./.test(ir.dottedName(u.callee) ?? '')) || /^(fetchone|fetchall|fetchmany|first|one|one_or_none|scalar|scalar_one|scalar_one_or_none)$/.test(ir.calleeName(u) ?? '')) return baseRead(model, u);
    return undefined;
  }
  if (u.type === 'Ident') {
    const v = model.valueOf(u);
    return v ? rowRead(model, v, depth + 1) : undefined;
  }
  return undefined;
}

/** `cur.fetchone()` stands for the `cur.execute(SELECT ...)` before it: its lock decides. */
function baseRead(model: CodeModel, c: ir.Call): ir.Call {
  if (!/^fetch(one|all|many)$/.test(ir.calleeName(c) ?? '')) return c;
  const recv = ir.receiver(c);
  const name = recv && ir.dottedName(recv);
  const fn = ir.enclosingFunction(c);
  if (!name || !fn) return c;
  const prior = within(model.calls, fn.body).filter((x) => x.end <= c.start && ir.calleeName(x) === 'execute' && ir.receiver(x) && ir.dottedName(ir.receiver(x)!) === name);
  return prior[prior.length - 1] ?? c;
}

/** The read takes a row lock (`FOR UPDATE`, `select_for_update()`, `lock: ...`). */
function readLocked(model: CodeModel, read: ir.Call): boolean {
  const sink = sqlSink(model, read);
  if (sink) return LOCKED.test(sink.build.parts.map((p) => (p.kind === 'const' ? p.text : ' ')).join(''));
  // A lock taken in a nested query: `session.execute(select(Account)...with_for_update()).scalar_one()`.
  if (/\b(with_for_update|select_for_update|forUpdate|forNoKeyUpdate|setLock)\b/.test(model.text.slice(read.start, read.end))) return true;
  for (let cur: ir.Node = read; cur.type === 'Call' || cur.type === 'Member'; cur = cur.type === 'Call' ? cur.callee : cur.object) {
    if (cur.type === 'Member' && ORM_LOCK.test(cur.prop)) return true;
    if (cur.type === 'Call' && cur.args.some((a) => { const u = ir.unwrap(a); return u.type === 'ObjectLit' && !!ir.propOf(u, 'lock'); })) return true;
  }
  return false;
}

function savedAfter(model: CodeModel, fn: ir.Func, a: ir.Assign): boolean {
  return within(model.calls, fn.body).some((c) => c.start > a.end && /^(save|commit|flush|saveChanges|persist)$/.test(ir.calleeName(c) ?? ''));
}

/** `x -= y` seen as `x - y` for the model (same node range as the assignment). */
function syntheticArith(a: ir.Assign): ir.Binary {
  return { type: 'Binary', op: a.op[0], left: a.target, right: a.value!, start: a.start, end: a.end, parent: a };
}

function listElements(model: CodeModel, n: ir.Node): ir.Node[] | undefined {
  let u = ir.unwrap(n);
  if (u.type === 'Ident') { const v = model.valueOf(u); if (!v) return undefined; u = ir.unwrap(v); }
  return u.type === 'ArrayLit' ? u.elements : undefined;
}
