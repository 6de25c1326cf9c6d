import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { sqlSink } from '../kit/frameworks/sql';
import { perRequestContext } from '../kit/frameworks/per-request';
import { excerpt } from '../kit/frameworks/redact';
import { limitFix, DEFAULT_PAGE } from './unbounded-query.fix';

const messages = {
  sql: '{query} reads every row of {table} on each request in {where}: the response, the memory and the query time grow with the table; add a LIMIT (a page of results)',
  orm: '{query} loads every {table} row on each request in {where}: the response, the memory and the query time grow with the table; page it with a limit',
};

export interface UnboundedRead {
  call: ir.Call;
  kind: 'sql' | 'prisma' | 'sequelize' | 'typeorm' | 'mongoose' | 'django' | 'sqlalchemy';
  table: string;
}

/** Reads that stream or page the result themselves. */
const STREAMED = /^(stream|cursor|iterator|iterate|each|eachRow|yield_per|batch|paginate|chunk|chunkById|cursorPaginate|forEach)$/;

export default defineRule({
  id: 'unbounded-query',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 770,
  docs: {
    summary: 'A request handler reads a whole table: SELECT without WHERE or LIMIT, or an unfiltered findMany/findAll/find/objects.all() without a limit',
    why: '"Loading the entire users table into memory because it\'s clean": an AI-written admin list ran `SELECT * FROM users` and returned it as JSON. With 200 test users it was instant; at 2 million rows each page view took 30 seconds, allocated gigabytes in the Node process, and the out-of-memory restarts took the whole API down with it. Aggregates (`count(*)`, `GROUP BY`), single-row lookups, filtered ORM queries, paginated reads and streamed exports are not reported.',
    fix: `Add a LIMIT: the SQL text gets \`LIMIT ${DEFAULT_PAGE}\`, Prisma and TypeORM reads get \`take: ${DEFAULT_PAGE}\`, Sequelize \`limit: ${DEFAULT_PAGE}\`, mongoose \`.limit(${DEFAULT_PAGE})\`, Django querysets \`[:${DEFAULT_PAGE}]\`, SQLAlchemy queries \`.limit(${DEFAULT_PAGE})\`. The page size is the rule's \`pageSize\` option (default ${DEFAULT_PAGE}). Unsafe: the endpoint returns the first page only; add an offset or a cursor from the request for the next pages.`,
    examples: {
      js: {
        bad: "app.get('/users', async (req, res) => {\n  const { rows } = await pool.query('SELECT id, email FROM users ORDER BY id');\n  res.json(rows);\n});\n",
        good: "app.get('/users', async (req, res) => {\n  const { rows } = await pool.query('SELECT id, email FROM users ORDER BY id LIMIT 100');\n  res.json(rows);\n});\n",
      },
      py: {
        bad: "from django.http import JsonResponse\n\nfrom .models import User\n\n\ndef user_list(request):\n    return JsonResponse(list(User.objects.all().values(\"id\", \"email\")), safe=False)\n",
        good: "from django.http import JsonResponse\n\nfrom .models import User\n\n\ndef user_list(request):\n    return JsonResponse(list(User.objects.all().values(\"id\", \"email\")[:100]), safe=False)\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        const read = unboundedRead(model, call);
        if (!read) return;
        const ctx = perRequestContext(model, call);
        if (!ctx || ctx.info.trigger !== 'request') return;
        // The rows must reach the client (the response, or the helper's return value): a table read
        // into a cache or walked to update each row is another concern.
        const fn = ir.enclosingFunction(call);
        if (!fn || !flowsOut(model, read.kind === 'sql' ? rowsOfCursor(model, call, fn) : call, fn, 0)) return;
        report({
          node: call,
          message: format(read.kind === 'sql' ? messages.sql : messages.orm, { query: excerpt(model, read.kind === 'sql' ? call : call.callee), table: read.table, where: ctx.info.calledFrom ? `${ctx.fn.name ?? 'a helper'} (called from ${ctx.info.calledFrom})` : ctx.info.label }),
          data: { call: [call.start, call.end] },
        });
      },
    };
  },
  fix: {
    title: 'Add a LIMIT',
    safety: 'unsafe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === start && c.end === end);
      const read = call && unboundedRead(ctx.model, call);
      if (!read) return undefined;
      const size = Number(ctx.options.pageSize) > 0 ? Math.floor(Number(ctx.options.pageSize)) : DEFAULT_PAGE;
      const edits = limitFix(ctx.model, read, size);
      return edits ? { edits } : undefined;
    },
  },
});

/** The call, when it reads a whole table with nothing bounding the rows. */
export function unboundedRead(model: CodeModel, call: ir.Call): UnboundedRead | undefined {
  const read = wholeRead(model, call);
  // What the code does with the rows after the call is asked only of calls that read a whole table.
  if (!read || STREAMED.test(ir.calleeName(call) ?? '') || paginated(call)) return undefined;
  if (chainedAfter(call).some((m) => STREAMED.test(m) || /^(limit|take|first|get|count|exists|aggregate|first_or_404|one|one_or_none|scalar|paginate)$/.test(m))) return undefined;
  return read;
}

function wholeRead(model: CodeModel, call: ir.Call): UnboundedRead | undefined {
  const sink = sqlSink(model, call);
  if (sink) {
    if ((sink.fragment && sink.method !== 'text') || sink.build.parts.some((p) => p.kind !== 'const')) return undefined;
    const text = sink.build.parts.map((p) => (p.kind === 'const' ? p.text : '')).join('');
    const table = wholeTableSelect(text);
    return table ? { call, kind: 'sql', table } : undefined;
  }
  return ormRead(model, call);
}

/** The table a SELECT reads in full: no WHERE, LIMIT/FETCH/TOP, aggregate or single-row form. */
export function wholeTableSelect(sql: string): string | undefined {
  const t = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim();
  if (!/^select\b/i.test(t)) return undefined;
  // Placeholders filter the rows; `FROM fn(...)` reads what a function returns.
  if (/\$\d|\?|%s|%\(\w+\)s|(^|[^:]):\w+/.test(t) || /\bfrom\s+[\w.]+\s*\(/i.test(t)) return undefined;
  if (/\b(where|limit|fetch\s+first|fetch\s+next|offset|top\s*\(?\d|group\s+by|having|union)\b/i.test(t)) return undefined;
  const cols = /^select\s+([\s\S]*?)\s+from\b/i.exec(t)?.[1];
  if (!cols || /\b(count|sum|avg|min|max|exists|bool_and|bool_or|array_agg|json_agg|string_agg)\s*\(/i.test(cols)) return undefined;
  if (/\bdistinct\b/i.test(cols) && !/\*/.test(cols) && cols.split(',').length === 1) return undefined;
  return /\bfrom\s+([\w."`]+)/i.exec(t)?.[1].replace(/["`]/g, '');
}

function ormRead(model: CodeModel, call: ir.Call): UnboundedRead | undefined {
  if (call.callee.type !== 'Member') return undefined;
  const last = call.callee.prop;
  // Only these methods read a whole table: every other call is ruled out before its text is read.
  if (model.lang === 'js' ? last !== 'findMany' && last !== 'findAll' && last !== 'find' : last !== 'all') return undefined;
  const recv = call.callee.object;
  const recvName = ir.dottedName(recv) ?? '';
  const args = call.args;
  const opts = args[0] && ir.unwrap(args[0]);
  const optsText = args.map((a) => model.text.slice(a.start, a.end)).join(' ');
  if (model.lang === 'js') {
    if (/\b(where|take|limit|skip|cursor|first)\b\s*:/.test(optsText)) return undefined;
    // prisma.user.findMany(), prisma.user.findMany({ orderBy: ... }).
    if (last === 'findMany' && /(^|\.)(prisma|db|tx|client)\.\w+$/.test(recvName) && (!opts || opts.type === 'ObjectLit')) return { call, kind: 'prisma', table: recvName.split('.').pop()! };
    // Sequelize Model.findAll() / findAll({ order }); TypeORM repository.find().
    if (last === 'findAll' && /^[A-Z]\w*$|(^|\.)(models|db)\.[A-Z]\w*$/.test(recvName) && (!opts || opts.type === 'ObjectLit')) return { call, kind: 'sequelize', table: recvName.split('.').pop()! };
    if (last === 'find' && (!opts || opts.type === 'ObjectLit' && !opts.props.length)) {
      if (/[rR]epository$|(^|\.)getRepository\(\)$/.test(recvName) || /getRepository\(/.test(model.text.slice(recv.start, recv.end))) return { call, kind: 'typeorm', table: recvName.replace(/Repository$|Repo$/, '').split('.').pop()! };
      if (/^[A-Z]\w*$/.test(recvName) && model.usesModule((m) => m === 'mongoose')) return { call, kind: 'mongoose', table: recvName };
    }
    return undefined;
  }
  // Django: Model.objects.all() (a filter() anywhere in the chain is a filtered query).
  if (last === 'all' && /^[A-Z]\w*\.objects$/.test(recvName) && !args.length && !chainedAfter(call).some((m) => /^(filter|exclude|get)$/.test(m))) return { call, kind: 'django', table: recvName.split('.')[0] };
  // SQLAlchemy: session.query(Model).all(), Model.query.all().
  if (last === 'all' && !args.length && recv.type === 'Call' && ir.calleeName(recv) === 'query' && /(^|\.)session$/.test(ir.dottedName((recv.callee as ir.Member).object ?? recv.callee) ?? '') && recv.args.length === 1) {
    return { call, kind: 'sqlalchemy', table: model.text.slice(recv.args[0].start, recv.args[0].end) };
  }
  if (last === 'all' && !args.length && /^[A-Z]\w*\.query$/.test(recvName)) return { call, kind: 'sqlalchemy', table: recvName.split('.')[0] };
  return undefined;
}

/** Calls that answer the request with what they are given. */
const RESPONSE_CALL = /^(json|send|render|jsonify|JsonResponse|JSONResponse|HttpResponse|Response|render_template|make_response|TemplateResponse|render_to_response|ok|end|write)$/;
/** Wrappers that keep the rows: `list(qs)`, `str(rows)`, `JSON.stringify(rows)`. */
const KEEPS_ROWS = /^(list|str|tuple|dict|JSON\.stringify|Array\.from|jsonable_encoder|serialize|dumps|json\.dumps|map|filter|sorted)$/;

/** The value reaches the response: returned, handed to a response call, or put in `ctx.body`, directly or through names. */
function flowsOut(model: CodeModel, start: ir.Node, fn: ir.Func, depth: number): boolean {
  if (depth > 3) return false;
  let cur: ir.Node = start;
  for (;;) {
    const p = cur.parent;
    if (!p || p === fn) return false;
    if (p.type === 'Return') return true;
    // `[i.to_dict() for i in items]`: a comprehension over the rows carries them on.
    if (p.type === 'Loop' && p.kind === 'comprehension' && p.iter === cur) { cur = p; continue; }
    if (p.type === 'Func') return p.kind === 'arrow' && p.body === cur;
    if (p.type === 'Await' || p.type === 'Member' && p.object === cur || p.type === 'Call' && p.callee === cur || p.type === 'Other' && /paren|as|satisfies|nonNull|pair|list|tuple|await/.test(p.kind) || p.type === 'Prop' || p.type === 'ObjectLit' || p.type === 'Spread' || p.type === 'Keyword' || p.type === 'Template') { cur = p; continue; }
    if (p.type === 'Call') {
      const name = ir.calleeName(p) ?? '';
      if (RESPONSE_CALL.test(name)) return true;
      if (KEEPS_ROWS.test(ir.dottedName(p.callee) ?? name)) { cur = p; continue; }
      return false;
    }
    if (p.type === 'Assign' && p.value === cur) {
      if (p.target.type === 'Member') return /(^|\.)(body|data|context)$/.test(ir.dottedName(p.target) ?? '');
      const names: ir.Ident[] = [];
      ir.walk(p.target, (n) => { if (n.type === 'Ident') names.push(n); });
      return names.some((t) => model.identsNamedIn(t.name, fn).some((u) => u.start > p.end && flowsOut(model, u, fn, depth + 1)));
    }
    return false;
  }
}

/** DB-API style: `cur.execute(sql)` returns nothing useful; the rows come from `cur.fetchall()` after it. */
function rowsOfCursor(model: CodeModel, call: ir.Call, fn: ir.Func): ir.Node {
  // SQLAlchemy's `conn.execute(text(sql))`: the rows are the execute call's.
  if (ir.calleeName(call) === 'text' && call.parent?.type === 'Call' && call.parent.callee !== call) return call.parent;
  if (call.parent?.type !== 'ExprStmt' || call.callee.type !== 'Member') return call;
  const recv = ir.dottedName(call.callee.object);
  if (!recv) return call;
  const fetch = model.identsNamedIn(recv.split('.')[0], fn)
    .map((id) => { let n: ir.Node = id; while (n.parent?.type === 'Member' && n.parent.object === n) n = n.parent; return n.parent?.type === 'Call' && n.parent.callee === n ? n.parent : undefined; })
    .find((c): c is ir.Call => !!c && c.start > call.end && /^(fetchall|fetchmany|fetch_all)$/.test(ir.calleeName(c) ?? '') && ir.dottedName((c.callee as ir.Member).object) === recv);
  return fetch ?? call;
}

/** Handed to a paginator (`Paginator(qs, 50)`, `paginate(query)`): it reads one page. */
function paginated(call: ir.Call): boolean {
  let cur: ir.Node = call;
  for (let links = 0; links < 2 * ir.MAX_CHAIN && cur.parent && (cur.parent.type === 'Member' || cur.parent.type === 'Call' && cur.parent.callee === cur || cur.parent.type === 'Await'); links++) cur = cur.parent;
  const p = cur.parent;
  return p?.type === 'Call' && /paginat/i.test(ir.calleeName(p) ?? '');
}

function chainedAfter(c: ir.Call): string[] {
  const out: string[] = [];
  let cur: ir.Node = c;
  for (let links = 0; links < ir.MAX_CHAIN; links++) {
    const p: ir.Node | undefined = cur.parent;
    if (p?.type === 'Member' && p.object === cur && p.parent?.type === 'Call') { out.push(p.prop); cur = p.parent; continue; }
    // `qs[:20]`, `qs[0]`: a slice or a single row.
    if (p?.type === 'Index' && p.object === cur) { out.push('limit'); cur = p; continue; }
    if (p?.type === 'Await' || p?.type === 'Other' && p.kind === 'paren') { cur = p; continue; }
    return out;
  }
  return out;
}
