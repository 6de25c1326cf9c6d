// Where a collection comes from, when that makes its size unbounded: the rows of a database
// query with no LIMIT, or data the request sent. A loop or fan-out over such a collection costs
// what the table or the client decides; one over a parameter, a config list or a literal does not
// say. Shared by the rules that cost something per element (N+1 queries, unbounded fan-outs).
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { sqlSink } from './sql';
import { taintOf } from './taint';

export interface CollectionSource {
  kind: 'rows' | 'request';
  /** The query or request read the collection comes from. */
  node: ir.Node;
}

/** ORM and driver reads that return many rows (`findMany`, `objects.filter`, `fetchall`, `scalars().all()`). */
const MANY_ROWS = /^(findMany|findAll|findAndCountAll|getMany|getRawMany|manyOrNone|many|any|fetchall|fetch_all|fetchmany|all|filter|exclude|scalars|select|values|values_list|order_by|toArray|find|where|findBy|list)$/;
/** Receivers that are a database, an ORM model or a query: not an in-memory array. */
const DB_RECEIVER = /(^|\.)(prisma|db|database|knex|sequelize|repo|\w*[rR]epository|\w*[mM]odel|collection|objects|session|query|cursor|cur|conn|connection|client|pool|tx|trx|sql|orm|em|manager|dataSource)(\(\))?$|(^|\.)[A-Z]\w*(\.objects)?$/;
/**
 * A read scoped to one owner (`WHERE user_id = $1`, `where: { userId }`): its rows are one user's
 * devices, items or messages, bounded by what that one owner did.
 */
const OWNER_SCOPED_SQL = /\bwhere\b[^;]*?\b\w*(_id|Id|\bid)\s*=\s*(\$\d+|\?|%s|%\(\w+\)s|:\w+|\$\{)/i;
const OWNER_SCOPED_ARGS = /\b\w*(Id|_id)\b\s*(:|=(?!=))\s*[\w.]|\{\s*\w*(Id|_id)\s*[,}]/;
/** Receivers whose methods never read a database. */
const NOT_DB = /^(Promise|Object|Array|Math|JSON|Reflect|Date|Number|String|Set|Map|Buffer|URL|Intl|Symbol|React)$/;
/** Options that bound a read: `take`, `limit`, `first`, `per_page`. */
const BOUNDING_ARG = /\b(take|limit|first|top|per_page|page_size|pageSize|perPage)\b/;

/** The unbounded origin of a collection, following names, `await`, `.rows`, and filters/maps over it. */
export function unboundedSource(model: CodeModel, n: ir.Node, depth = 0): CollectionSource | undefined {
  if (depth > 6) return undefined;
  const u = ir.unwrap(n);
  const d = depth + 1;
  if (u.type === 'Await') return unboundedSource(model, u.arg, d);
  if (u.type === 'Ident') {
    const v = model.valueOf(u);
    if (v && v !== u) return unboundedSource(model, v, d) ?? destructuredRows(model, u, v, d);
    return taintOf(model, u) === 'request' ? { kind: 'request', node: u } : undefined;
  }
  if (u.type === 'Member') {
    if (/^(rows|data|results|items|records|docs|Items)$/.test(u.prop)) { const s = unboundedSource(model, u.object, d); if (s) return s; }
    return taintOf(model, u) === 'request' ? { kind: 'request', node: u } : undefined;
  }
  if (u.type === 'Call') {
    const rows = rowsRead(model, u);
    if (rows !== undefined) return rows ? { kind: 'rows', node: u } : undefined;
    if (u.callee.type === 'Member' && /^(filter|map|flatMap|sort|reverse|slice|concat|toArray|all|entries|values|keys|items)$/.test(u.callee.prop)) {
      if (u.callee.prop === 'slice' && u.args.length >= 2) return undefined;
      return unboundedSource(model, u.callee.object, d);
    }
    if (/^(Object\.(values|keys|entries)|list|sorted|enumerate)$/.test(ir.dottedName(u.callee) ?? '') && u.args[0]) return unboundedSource(model, u.args[0], d);
    // `request.GET.getlist('id')`, `JSON.parse(req.body.items)`: a list the client sent.
    if (taintOf(model, u) === 'request') return { kind: 'request', node: u };
  }
  return undefined;
}

/** `const { rows } = await pool.query(...)`: the binding is a field of the query result. */
function destructuredRows(model: CodeModel, id: ir.Ident, v: ir.Node, d: number): CollectionSource | undefined {
  const b = model.resolve(id);
  const decl = b?.assigns[0] ?? (b?.value?.parent?.type === 'Assign' ? b.value.parent : undefined);
  if (!decl || decl.target.type === 'Ident') return undefined;
  return /^(rows|data|results|items|records)$/.test(id.name) ? unboundedSource(model, v, d) : undefined;
}

/**
 * true: the call reads many rows without a bound; false: it is a database read with a bound (or a
 * single row); undefined: not a database read.
 */
function rowsRead(model: CodeModel, c: ir.Call): boolean | undefined {
  const sink = sqlSink(model, c);
  if (sink) {
    const text = sink.build.parts.map((p) => (p.kind === 'const' ? p.text : ' ? ')).join('');
    if (!/^\s*(select|with)\b/i.test(text)) return undefined;
    return !/\blimit\b|\bfetch\s+first\b|\btop\s*\(?\d|\bcount\s*\(/i.test(text) && !OWNER_SCOPED_SQL.test(text);
  }
  const last = ir.calleeName(c) ?? '';
  if (c.callee.type !== 'Member') return undefined;
  // asyncpg's `fetch(sql)`, and `(await cur.execute(sql)).fetchall()`: the rows of the statement.
  const first = c.args[0] && ir.unwrap(c.args[0]);
  if (/^(fetch|fetchrows|fetch_all|fetchall|fetchmany)$/.test(last) && first?.type === 'Str' && /^\s*select\b/i.test(first.value)) return !/\blimit\b|\bcount\s*\(/i.test(first.value);
  const inner = ir.unwrap(c.callee.object);
  const innerCall = inner.type === 'Await' ? ir.unwrap(inner.arg) : inner;
  if (/^(fetchall|fetch_all|all|scalars)$/.test(last) && innerCall.type === 'Call') {
    const r = rowsRead(model, innerCall);
    if (r !== undefined) return r;
  }
  if (!MANY_ROWS.test(last)) return undefined;
  const recvName = ir.dottedName(c.callee.object) ?? '';
  const chain = queryChain(c);
  if (NOT_DB.test(rootName(c) ?? '')) return undefined;
  if (!DB_RECEIVER.test(recvName) && !chain.some((m) => DB_RECEIVER.test(m))) return undefined;
  // Array methods on names that merely sound like a database (`session.items.filter(cb)`) take a callback.
  if (c.args.some((a) => ir.unwrap(a).type === 'Func')) return undefined;
  const argsText = c.args.map((a) => model.text.slice(a.start, a.end)).join(' ');
  if (BOUNDING_ARG.test(argsText) || OWNER_SCOPED_ARGS.test(argsText) || chain.some((m) => /^(limit|take|first|paginate|slice)$/.test(m))) return false;
  if (isSliced(c)) return false;
  return true;
}

/** The dotted names of the calls a query chain is built from (`User.objects.filter(...).order_by(...)`). */
function queryChain(c: ir.Call): string[] {
  const out: string[] = [];
  let cur: ir.Node = c.callee;
  while (cur.type === 'Member' || cur.type === 'Call') {
    if (cur.type === 'Member') { out.push(cur.prop); cur = cur.object; } else cur = cur.callee;
  }
  if (cur.type === 'Ident') out.push(cur.name);
  // Methods chained after the call: `.limit(10)`, `[:20]`.
  let up: ir.Node = c;
  while (up.parent?.type === 'Member' && up.parent.object === up && up.parent.parent?.type === 'Call') { out.push(up.parent.prop); up = up.parent.parent; }
  return out;
}

function rootName(c: ir.Call): string | undefined {
  let cur: ir.Node = c.callee;
  while (cur.type === 'Member' || cur.type === 'Call') cur = cur.type === 'Member' ? cur.object : cur.callee;
  return cur.type === 'Ident' ? cur.name : undefined;
}

function isSliced(c: ir.Call): boolean {
  const p = c.parent;
  return p?.type === 'Index' && p.object === c;
}
