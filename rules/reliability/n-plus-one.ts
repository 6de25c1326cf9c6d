import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { flowOf, type LoopFact } from '../kit/model/flow';
import { boundedCollection } from '../kit/model/collections';
import { unboundedSource } from '../kit/frameworks/collection-source';
import { sqlSink, fileDialect } from '../kit/frameworks/sql';
import { httpCall } from '../kit/frameworks/http-clients';
import { excerpt } from '../kit/frameworks/redact';
import { isScriptFile } from '../kit/frameworks/per-request';

const messages = {
  perRow: '{query} runs once per element of {items} ({source}): {n} rows make {n} more round trips to the {backend}; fetch them in one query before the loop ({batched}) and look them up in a Map',
};

/** ORM reads that fetch by key or filter: the per-row lookup of the N+1 shape. */
const ORM_READ = /^(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findOne|findOneBy|findById|findByPk|findBy|findMany|findAll|find|get|get_or_none|filter|filter_by|first|one|one_or_none|scalar|scalars|count|aggregate|exists|fetchone|fetchall|fetchrow|fetchval|fetch|where|select|load|get_object_or_404)$/;
/** Receivers that are a database, an ORM model, a session or a query. */
const DB_RECEIVER = /(^|\.)(prisma|db|database|knex|sequelize|repo|\w*[rR]epository|\w*[mM]odel|collection|objects|session|query|cursor|cur|conn|connection|pool|tx|trx|sql|orm|em|manager|dataSource)(\(\))?$|(^|\.)[A-Z]\w*\.objects$|^[A-Z]\w*$/;
const NOT_DB = /^(Promise|Object|Array|Math|JSON|Reflect|Date|Number|String|Set|Map|Buffer|URL|Intl|Symbol|React|Response|console|process)$/;

export default defineRule({
  id: 'n-plus-one',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'file',
  cwe: 1049,
  docs: {
    summary: 'A query or HTTP call runs once per row of a previous query or per element of request data',
    why: '"N+1 queries dressed as elegant .map() chains": an AI-written orders page loaded the orders with one query, then awaited the customer of each order inside the loop. Fifty orders on the developer\'s laptop were fifty fast round trips; ten thousand in production were ten thousand, and the page took 40 seconds while holding a pooled connection the whole time. The same happens with `for…of` loops, `forEach`, `.map(async …)` inside `Promise.all`, and Python loops over querysets and cursor rows. Loops over small constant collections, one owner\'s few rows, and loops whose query already fetches a whole batch (`IN (...)`, `ANY($1)`) are not reported; neither are per-item writes of a job loop.',
    fix: 'No automatic fix: collect the keys first, fetch every row in one query (`WHERE id = ANY($1)` in pg, `IN (?)` in MySQL/SQLite, Prisma `{ id: { in: ids } }`, Django `filter(id__in=ids)` or `select_related`/`prefetch_related`, SQLAlchemy `.in_(ids)` or `selectinload`), build a Map by key, and read from it inside the loop.',
    examples: {
      js: {
        bad: "app.get('/orders', async (req, res) => {\n  const { rows: orders } = await pool.query('SELECT id, customer_id FROM orders WHERE status = $1', ['open']);\n  for (const order of orders) {\n    const { rows } = await pool.query('SELECT name FROM customers WHERE id = $1', [order.customer_id]);\n    order.customer = rows[0];\n  }\n  res.json(orders);\n});\n",
        good: "app.get('/orders', async (req, res) => {\n  const { rows: orders } = await pool.query('SELECT id, customer_id FROM orders WHERE status = $1', ['open']);\n  const ids = orders.map((o) => o.customer_id);\n  const { rows: customers } = await pool.query('SELECT id, name FROM customers WHERE id = ANY($1)', [ids]);\n  const byId = new Map(customers.map((c) => [c.id, c]));\n  for (const order of orders) order.customer = byId.get(order.customer_id);\n  res.json(orders);\n});\n",
      },
      py: {
        bad: "def order_list(request):\n    orders = Order.objects.all()\n    out = []\n    for order in orders:\n        customer = Customer.objects.get(id=order.customer_id)\n        out.append({\"id\": order.id, \"customer\": customer.name})\n    return JsonResponse(out, safe=False)\n",
        good: "def order_list(request):\n    orders = Order.objects.select_related(\"customer\").all()\n    out = [{\"id\": o.id, \"customer\": o.customer.name} for o in orders]\n    return JsonResponse(out, safe=False)\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    // One-off scripts, migrations and seeds run once: their round trips cost nobody a page view.
    if (isScriptFile(model) || /(^|\/)management\/commands\//.test(model.file.replace(/\\/g, '/'))) return {};
    const seen = new Set<ir.Call>();
    const visit = (fn: ir.Func) => {
      for (const loop of flowOf(model, fn).loops) {
        if (!loop.iter) continue;
        // What the loop does per element first: most loops (`rows.map((r) => r.id)`) make no
        // lookup, and where the collection comes from is the costly question.
        const vars = loopVariables(loop);
        if (!vars.length) continue;
        const lookups: { call: ir.Call; kind: 'db' | 'http' }[] = [];
        for (const call of perElementCalls(model, fn, loop)) {
          if (seen.has(call)) continue;
          const kind = lookupKind(model, call);
          if (kind && usesAny(model, call, vars) && !batched(model, call)) lookups.push({ call, kind });
        }
        if (!lookups.length || boundedCollection(model, loop.iter) || inFanOut(loop)) continue;
        const source = unboundedSource(model, loop.iter);
        if (!source) continue;
        for (const { call, kind } of lookups) {
          // A callback's body call is also among its awaited calls: report it once.
          if (seen.has(call)) continue;
          seen.add(call);
          report({
            node: call,
            message: format(messages.perRow, {
              query: excerpt(model, call.callee),
              items: excerpt(model, loop.iter),
              source: source.kind === 'rows' ? `the rows of ${excerpt(model, source.node)}` : 'request data',
              n: 'N',
              backend: kind === 'http' ? 'service' : 'database',
              batched: kind === 'http' ? 'a batch endpoint that takes every id' : batchedHint(model, call),
            }),
          });
        }
      }
    };
    // Module-level loops run once at import: only functions can run per request.
    return { Func: visit };
  },
});

/**
 * `Promise.all(rows.map(async (r) => ...))`, `asyncio.gather(*[f(r) for r in rows])`: every
 * element's call starts at once, which unbounded-concurrency reports (and its batched rewrite keeps
 * one call per element; with a limiter the calls sit in a nested function this rule does not read).
 */
function inFanOut(loop: LoopFact): boolean {
  let n: ir.Node = loop.node;
  while (n.parent && (n.parent.type === 'Spread' || n.parent.type === 'Other' && n.parent.kind !== 'pair' && /comprehension|generator|paren/.test(n.parent.kind))) n = n.parent;
  const p = n.parent;
  return p?.type === 'Call' && /^(Promise\.(all|allSettled)|asyncio\.gather|gather|gather_in_batches)$/.test(ir.dottedName(p.callee) ?? '');
}

/** Calls made once per element: awaited in a loop statement's body, or made by an iteration callback. */
function perElementCalls(model: CodeModel, fn: ir.Func, loop: LoopFact): ir.Call[] {
  if (model.lang === 'py' || loop.node.type === 'Loop' && (loop.node as ir.Loop).kind === 'comprehension') {
    const out: ir.Call[] = [];
    ir.walk(loop.body, (n) => {
      if (n.type === 'Func') return false;
      if (n.type === 'Call') out.push(n);
    });
    return out;
  }
  if (loop.callback) {
    const body = ir.unwrap(loop.callback.body);
    return [...flowOf(model, loop.callback).awaited, ...(body.type === 'Call' ? [body] : [])];
  }
  return flowOf(model, fn).awaited.filter((c) => ir.isInside(c, loop.body));
}

/** The names a loop binds per element: its target pattern, or the callback's first parameter. */
function loopVariables(loop: LoopFact): string[] {
  const target = loop.callback ? loop.callback.params[0]?.target : loop.node.type === 'Loop' ? loop.node.target : undefined;
  if (!target) return [];
  const out: string[] = [];
  ir.walk(target, (n) => { if (n.type === 'Ident') out.push(n.name); });
  return out;
}

function usesAny(model: CodeModel, call: ir.Call, names: string[]): boolean {
  for (const a of call.args) {
    let hit = false;
    ir.walk(a, (n) => { if (n.type === 'Ident' && names.includes(n.name)) hit = true; return !hit; });
    if (hit) return true;
  }
  // A template tag or chained query built on the element (`sql\`...${row.id}\``) counts too.
  return false;
}

/** 'db' for a read query, 'http' for an outbound GET, undefined otherwise (writes are not N+1). */
function lookupKind(model: CodeModel, call: ir.Call): 'db' | 'http' | undefined {
  const sink = sqlSink(model, call);
  if (sink) {
    const text = sink.build.parts.map((p) => (p.kind === 'const' ? p.text : ' ? ')).join('');
    return /^\s*(select|with)\b/i.test(text) && !/^\s*with\b[\s\S]*\b(insert|update|delete)\b/i.test(text) ? 'db' : undefined;
  }
  const http = httpCall(model, call);
  if (http) return http.method === 'GET' ? 'http' : undefined;
  const last = ir.calleeName(call) ?? '';
  if (!ORM_READ.test(last) || call.callee.type !== 'Member') return undefined;
  // `Member.objects.filter(team=t).update(...)`: the query is the target of a write.
  if (ir.methodsChainedAfter(call).some((m) => /^(update|delete|save|create|bulk_create|bulk_update|destroy|remove|increment|decrement|upsert)$/.test(m))) return undefined;
  const chain = receiverChain(call);
  const root = chain[chain.length - 1] ?? '';
  if (NOT_DB.test(root)) return undefined;
  // Array methods take a callback; dict.get / Map.get take a key of an in-memory collection.
  if (call.args.some((a) => ir.unwrap(a).type === 'Func')) return undefined;
  const recv = ir.dottedName(call.callee.object) ?? '';
  if (last === 'get' || last === 'find' || last === 'filter' || last === 'where' || last === 'select' || last === 'first' || last === 'count') {
    // Only on an ORM model, manager or query: `User.objects.get`, `db.session.get`, `Model.findOne`.
    if (!/(^|\.)objects$|(^|\.)(session|query|db|prisma|repo|\w*[rR]epository|collection)(\(\))?$|^[A-Z]\w*$/.test(recv) && !chain.some((m) => m === 'objects' || m === 'query')) return undefined;
    return 'db';
  }
  return DB_RECEIVER.test(recv) || chain.some((m) => DB_RECEIVER.test(m)) ? 'db' : undefined;
}

function receiverChain(call: ir.Call): string[] {
  const out: string[] = [];
  let cur: ir.Node = call.callee;
  while (cur.type === 'Member' || cur.type === 'Call' || cur.type === 'Await') {
    if (cur.type === 'Member') { out.push(cur.prop); cur = cur.object; } else if (cur.type === 'Call') cur = cur.callee; else cur = cur.arg;
  }
  if (cur.type === 'Ident') out.push(cur.name);
  return out;
}

/** The query inside the loop already takes a whole batch of keys. */
function batched(model: CodeModel, call: ir.Call): boolean {
  const text = model.text.slice(call.start, call.end);
  return /\bANY\s*\(|\bIN\s*\(|\bin\s*:\s*[\w.[]|__in\s*=|\.in_\(|\$in\b|whereIn\b/i.test(text);
}

function batchedHint(model: CodeModel, call: ir.Call): string {
  const sink = sqlSink(model, call);
  if (sink) return sink.dialect === 'pg' ? 'WHERE id = ANY($1)' : sink.dialect === 'prisma' ? 'WHERE id IN (${Prisma.join(ids)})' : model.lang === 'py' && sink.dialect === 'sqlalchemy' ? 'WHERE id IN :ids with bindparam(expanding=True)' : 'WHERE id IN (...)';
  if (model.lang === 'py') return model.usesModule((m) => /^django/.test(m)) ? 'filter(id__in=ids), select_related or prefetch_related' : model.usesModule((m) => /^sqlalchemy/.test(m)) ? '.in_(ids) or selectinload' : 'WHERE id IN (...)';
  if (model.usesModule((m) => m === '@prisma/client')) return 'findMany({ where: { id: { in: ids } } })';
  const d = fileDialect(model);
  return d === 'pg' ? 'WHERE id = ANY($1)' : 'WHERE id IN (?)';
}
