import * as ir from '../kit/model/ir';
import { defineRule, format, type TextEdit } from '../kit/rule';
import type { Binding, CodeModel } from '../kit/model/model';
import { dbClientOf, type DbClient } from '../kit/frameworks/db-clients';
import { functionName, isMemoisedValue, isModuleApi, perRequestContext, type PerRequest } from '../kit/frameworks/per-request';
import { indentAt, src } from '../kit/model/literals';
import { deleteStatements, statementLines, statementOf, withLeadingComments } from '../kit/fixes/stmt-edits';
import { excerpt } from '../kit/frameworks/redact';
import { borrowFromPool, usesOf } from './connection-per-request.fix-py';

const messages = {
  created: '{what} is created inside {where}{via}: every {unit} opens new connections and concurrent {unit}s exhaust the database connection limit; create it once at module scope and share it',
  opened: '{what} opens a new database connection inside {where}{via}: concurrent {unit}s exhaust the database connection limit; borrow connections from a pool created once at module scope',
  perCall: '{what} is created and closed inside {where} on every call: its callers, such as request handlers, open new connections each time and concurrent calls exhaust the database connection limit; create it once at module scope and share it',
  perCallOpened: '{what} opens and closes a database connection inside {where} on every call: its callers, such as request handlers, open new connections each time and concurrent calls exhaust the database connection limit; borrow connections from a pool created once at module scope',
};

/** Methods that shut an instance down: a shared instance must stay open. */
const CLOSE_METHODS = /^(end|close|disconnect|\$disconnect|quit|destroy|dispose)$/;
/** Listeners added per call to a shared instance would pile up. */
const LISTENER_METHODS = /^(on|once|addListener|prependListener)$/;
/** Functions that run once at startup or shutdown, or from a terminal. */
const STARTUP_NAMES = /^(main|run|seed|migrate|init|initialize|setup|bootstrap|start|cli|shutdown|teardown|backfill|cron)([A-Z_]|$)/;
/** Globals a hoisted constructor may read at module scope. */
const JS_GLOBALS = new Set(['process', 'globalThis', 'JSON', 'Number', 'String', 'Boolean', 'parseInt', 'parseFloat', 'Math', 'Buffer', 'URL', 'undefined', 'require', '__dirname', '__filename', 'Infinity', 'NaN', 'Object', 'Array']);

export default defineRule({
  id: 'connection-per-request',
  category: 'reliability',
  severity: 'error',
  languages: ['js', 'py'],
  cwe: 400,
  triggers: /pool|client|connect|sequelize|knex|postgres|redis|datasource|create_engine|create_async_engine|from_url|createCluster/i,
  docs: {
    summary: 'A database pool, client or connection is created inside a function that runs on every request or job, or opened and closed by an exported data-access helper on every call',
    why: 'A pool opens its own connections, so a pool created per request multiplies them: an AI-written report endpoint that built `new Pool()` inside the handler exhausted Postgres at 50 concurrent users ("sorry, too many clients already") and took every other endpoint down with it. The same holds for PrismaClient, MongoClient, Redis clients, Sequelize, Knex and SQLAlchemy engines, and for a raw `psycopg2.connect` per view: connection setup costs a network round trip, TLS and authentication each time, and the server\'s connection limit is reached long before the CPU is busy. Created once at module scope, one pool is shared by every request and queues them when busy. "Per request" covers route handlers (Express, Fastify, Koa, NestJS, Next.js route handlers, server actions and server components, Remix loaders, Flask, FastAPI and its dependencies, Django views), Lambda handlers, job processors (BullMQ/Bull, node-cron, Agenda, Kafka/AMQP/SQS consumers, setInterval, Celery, Dramatiq, RQ, APScheduler), the functions of the same file they call, and exported helpers that open and close their own client on every call. Lazily memoised singletons (`pool ??= new Pool()`, the Next.js `globalThis.prisma ?? new PrismaClient()` pattern, `@lru_cache` getters), factories run once at startup and scripts are not reported. SQLite (`sqlite3.connect`, better-sqlite3) opens a file, not a server connection, and is not reported either.',
    fix: 'Hoist to a shared instance: the construction moves to module scope (after the imports and the module-level names its arguments use, keeping the variable name, or a free name when it is taken), the function uses the shared instance, and the per-call `end()`/`close()`/`disconnect()`/`$disconnect()`/`quit()`/`destroy()`/`dispose()` is dropped (an emptied `finally` goes with it). A Python view that calls `psycopg2.connect(...)` borrows from a module-level psycopg2 pool instead (`getconn()`): the module\'s pool for the same arguments, or a `psycopg2.pool.ThreadedConnectionPool(1, 10, <the same arguments>)` the fix creates; the connection goes back with `putconn(conn)` where it was closed in a `finally`, or in a `finally` the fix wraps around the rest of the block (its other `close()` statements go); psycopg2\'s pools do not wait for a free connection, so keep `maxconn` at least the number of threads one worker serves. No fix is offered, and the finding says why, when the arguments use per-request values (cache one instance per value instead), for single connections of other drivers, for a connection handed to the caller, and for clients that must be connected asynchronously once (node-redis `connect()`, `MongoClient.connect`, `mongoose.connect`, TypeORM `initialize()`, asyncpg pools).',
    examples: {
      js: {
        bad: "const { Pool } = require('pg');\n\napp.get('/orders/:id', async (req, res) => {\n  const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n  const { rows } = await pool.query('SELECT id, total FROM orders WHERE id = $1', [req.params.id]);\n  await pool.end();\n  res.json(rows[0]);\n});\n",
        good: "const { Pool } = require('pg');\n\nconst pool = new Pool({ connectionString: process.env.DATABASE_URL });\n\napp.get('/orders/:id', async (req, res) => {\n  const { rows } = await pool.query('SELECT id, total FROM orders WHERE id = $1', [req.params.id]);\n  res.json(rows[0]);\n});\n",
      },
      py: {
        bad: "import os\n\nfrom flask import Flask\nfrom sqlalchemy import create_engine, text\n\napp = Flask(__name__)\n\n\n@app.get(\"/orders/<int:order_id>\")\ndef get_order(order_id):\n    engine = create_engine(os.environ[\"DATABASE_URL\"])\n    with engine.connect() as conn:\n        row = conn.execute(text(\"SELECT id, total FROM orders WHERE id = :id\"), {\"id\": order_id}).first()\n    return {\"id\": row.id, \"total\": row.total}\n",
        good: "import os\n\nfrom flask import Flask\nfrom sqlalchemy import create_engine, text\n\napp = Flask(__name__)\nengine = create_engine(os.environ[\"DATABASE_URL\"])\n\n\n@app.get(\"/orders/<int:order_id>\")\ndef get_order(order_id):\n    with engine.connect() as conn:\n        row = conn.execute(text(\"SELECT id, total FROM orders WHERE id = :id\"), {\"id\": order_id}).first()\n    return {\"id\": row.id, \"total\": row.total}\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    return {
      Call(call) {
        const client = dbClientOf(model, call);
        if (!client) return;
        const ctx = perRequestContext(model, call);
        if (isMemoisedValue(model, call)) return;
        let base: string;
        if (ctx) {
          if (isEdgeRuntime(model, call, ctx.fn)) return;
          const unit = ctx.info.trigger === 'job' ? 'job' : 'request';
          base = format(client.kind === 'connection' ? messages.opened : messages.created, {
            what: client.what,
            where: whereText(ctx.fn, ctx.info),
            via: ctx.info.calledFrom ? ` (called from ${ctx.info.calledFrom})` : '',
            unit,
          });
        } else {
          // A data-access helper other modules call that opens and closes its own client each time.
          const fn = ir.enclosingFunction(call);
          if (!fn || !isModuleApi(model, fn) || STARTUP_NAMES.test(functionName(fn) ?? '') || !closedInFunction(model, call, fn)) return;
          base = format(client.kind === 'connection' ? messages.perCallOpened : messages.perCall, { what: client.what, where: functionName(fn) });
        }
        const plan = planFix(model, call, client);
        report({
          node: call,
          message: base,
          data: { call: [call.start, call.end] },
          noFix: 'reason' in plan ? plan.reason : false,
        });
      },
    };
  },
  fix: {
    title: 'Hoist to a shared instance',
    safety: 'safe',
    produce(finding, ctx) {
      const [start, end] = (finding.data?.call as number[] | undefined) ?? [];
      const call = ctx.model.calls.find((c) => c.start === start && c.end === end);
      const client = call && dbClientOf(ctx.model, call);
      if (!call || !client) return undefined;
      const plan = planFix(ctx.model, call, client);
      return 'edits' in plan ? { edits: plan.edits } : undefined;
    },
  },
});

/** The instance is closed again before the function returns: it lives for one call. */
function closedInFunction(model: CodeModel, call: ir.Call, fn: ir.Func): boolean {
  let value: ir.Node = call;
  while (value.parent?.type === 'Await') value = value.parent;
  const decl = value.parent;
  if (decl?.type !== 'Assign' || decl.value !== value || decl.target.type !== 'Ident') return false;
  const b = model.resolve(decl.target);
  if (!b || b.scope !== fn) return false;
  return usesOf(model, b, decl).some((u) => u.parent?.type === 'Member' && u.parent.object === u && CLOSE_METHODS.test(u.parent.prop));
}

function whereText(fn: ir.Func, info: PerRequest): string {
  if (info.calledFrom) return functionName(fn) ?? 'a helper';
  return info.label;
}

/**
 * Cloudflare Workers (a `fetch(request, env, ctx)` entry point) cannot share I/O objects across
 * requests, and Hyperdrive pools connections for them, so a client per request is the documented pattern there.
 */
function isEdgeRuntime(model: CodeModel, call: ir.Call, fn: ir.Func): boolean {
  if (/hyperdrive/i.test(src(model, call))) return true;
  return fn.name === 'fetch' && fn.params[1]?.name === 'env';
}

type Plan = { edits: TextEdit[] } | { reason: string };

function planFix(model: CodeModel, call: ir.Call, client: DbClient): Plan {
  if (client.kind === 'connection') return model.lang === 'py' ? borrowFromPool(model, call) ?? { reason: 'only psycopg2 connections are moved to a pool by the fix: create a module-level pool of your driver and borrow from it' } : { reason: client.noHoist ?? 'a single connection cannot be shared between concurrent requests' };
  if (client.noHoist) return { reason: client.noHoist };
  const args = moduleLevelArgs(model, call);
  if ('local' in args) return { reason: `its arguments use ${args.local}, which is computed per call: keep one instance per distinct value in a module-level Map instead` };
  return hoist(model, call, client, args.refs) ?? { reason: 'the instance is not a plain declaration used only through its methods in this function, so moving it to module scope could change what other code sees: hoist it by hand' };
}

/** The module-level bindings a constructor's arguments use, or the first per-call name they use. */
function moduleLevelArgs(model: CodeModel, call: ir.Call): { refs: Binding[] } | { local: string } {
  const refs: Binding[] = [];
  let local: string | undefined;
  let unknown: string | undefined;
  for (const a of call.args) {
    ir.walk(a, (n) => {
      if (local) return false;
      if (n.type === 'Other' && n.kind === 'this') { local = 'this'; return false; }
      if (n.type === 'Func') { local = 'a function defined in the call'; return false; }
      if (n.type !== 'Ident') return;
      const b = model.resolve(n);
      if (!b) {
        if (model.lang === 'js' && !JS_GLOBALS.has(n.name)) unknown ??= n.name;
        return;
      }
      if (b.scope.type !== 'Program') local = memberChain(model, n);
      else if (!refs.includes(b)) refs.push(b);
    });
  }
  // A name the file never declares may be a per-request global: do not move it either.
  const blocker = local ?? unknown;
  return blocker ? { local: blocker } : { refs };
}

/** `req.params.tenant` for the `req` of that expression. */
function memberChain(model: CodeModel, id: ir.Ident): string {
  let n: ir.Node = id;
  while (n.parent?.type === 'Member' && n.parent.object === n) n = n.parent;
  return excerpt(model, n, 80);
}

/** Moves the construction to module scope and rewrites the function to use the shared instance. */
function hoist(model: CodeModel, call: ir.Call, client: DbClient, refs: Binding[]): Plan | undefined {
  const text = model.text;
  const js = model.lang === 'js';
  const fn = ir.enclosingFunction(call);
  if (!fn) return undefined;
  let value: ir.Node = call;
  while (value.parent && (value.parent.type === 'Await' || (value.parent.type === 'Other' && value.parent.kind === 'paren'))) value = value.parent;
  const decl = value.parent;
  const isDecl = decl?.type === 'Assign' && decl.value === value && decl.target.type === 'Ident' && decl.op === '=' && (js ? !!decl.decl : true) && statementOf(decl) === decl;
  const binding = isDecl ? model.resolve(decl.target as ir.Ident) : undefined;
  if (isDecl && (!binding || binding.scope !== fn || binding.assigns.length !== 1)) return undefined;
  const localName = isDecl ? (decl.target as ir.Ident).name : client.name;
  const uses = binding ? usesOf(model, binding, decl as ir.Assign) : [];

  // What the function does with the instance: closing goes, listeners and one-time setup block the fix.
  const closes: ir.Node[] = [];
  for (const u of uses) {
    const m = u.parent;
    const method = m?.type === 'Member' && m.object === u && m.parent?.type === 'Call' && m.parent.callee === m ? m.prop : undefined;
    if (method && LISTENER_METHODS.test(method)) return { reason: `the function adds listeners to it with ${method}()` };
    if (method && client.onceMethods?.includes(method)) return { reason: `${method}() must run once per instance: create and ${method}() it once at startup` };
    if (method && CLOSE_METHODS.test(method)) {
      const stmt = statementOf(m!.parent!);
      const expr = stmt?.type === 'ExprStmt' ? ir.unwrap(stmt.expr) : undefined;
      if (!stmt || expr !== m!.parent) return undefined;
      closes.push(stmt);
      continue;
    }
    if (u.parent?.type === 'Prop' && u.parent.shorthand) return undefined;
  }

  const callText = src(model, call);
  // A memoised getter for the same construction already exists: call it instead.
  const getter = memoisedGetter(model, callText);
  if (getter) {
    const edits: TextEdit[] = [{ start: value.start, end: value.end, newText: `${getter}()` }];
    const removed = closes.length ? deleteStatements(model, closes) : [];
    return removed ? { edits: [...edits, ...removed] } : undefined;
  }

  // The shared name: the local name when free at module scope (or bound to the same construction).
  const moduleScope = model.bindings(model.root);
  // Taken: declared at module scope, in a function around this one, or in this one (other than the moved declaration).
  const taken = (n: string) => moduleScope.has(n) || boundOutside(model, fn, n) || (model.bindings(fn).has(n) && !(isDecl && n === localName));
  // A module-level instance built by the same call already exists: use it.
  const same = [...moduleScope.values()].find((b) => b.kind === 'var' && b.assigns.length <= 1 && !!b.value && squash(src(model, ir.unwrap(b.value))) === squash(callText));
  const reuse = !!same && !boundOutside(model, fn, same.name) && (same.name === localName || !model.bindings(fn).has(same.name));
  let name = reuse ? same!.name : localName;
  if (!reuse) {
    if (taken(name)) {
      const cap = name[0].toUpperCase() + name.slice(1);
      name = [js ? `shared${cap}` : `shared_${name}`, `${name}2`, `${name}3`].find((n) => !taken(n)) ?? '';
      if (!name) return undefined;
    }
  }

  const edits: TextEdit[] = [];
  let moved = '';
  if (isDecl) {
    const lines = statementLines(model, decl!);
    if (!lines) return undefined;
    const commentStart = withLeadingComments(model, lines.start);
    const indent = indentAt(text, decl!.start);
    if (!reuse) {
      const comments = text.slice(commentStart, lines.start).split('\n').map((l) => l.slice(indent.length)).join('\n');
      const stmtText = text.slice(lines.start, lines.end).replace(/\n$/, '');
      moved = comments + dedent(stmtText.slice(indent.length), indent);
      if (value !== call) moved = moved.replace(text.slice(value.start, value.end), callText);
      if (name !== localName) moved = moved.replace(new RegExp(`^((?:export\\s+)?(?:const|let|var)\\s+)?${localName}\\b`, 'm'), `$1${name}`);
    }
    edits.push({ start: commentStart, end: lines.end, newText: '' });
  } else {
    const indent = indentAt(text, statementOf(call)?.start ?? call.start);
    moved = js ? `const ${name} = ${dedent(callText, indent)}${usesSemicolons(model) ? ';' : ''}` : `${name} = ${dedent(callText, indent)}`;
    edits.push({ start: value.start, end: value.end, newText: name });
  }
  if (!reuse) {
    const at = insertionPoint(model, refs);
    if (at === undefined) return undefined;
    const nextLineBlank = /^[ \t]*(\n|$)/.test(text.slice(at.offset));
    edits.push({ start: at.offset, end: at.offset, newText: at.blankAround ? `\n${moved}\n${nextLineBlank ? '' : '\n'}` : `${moved}\n` });
  }
  if (name !== localName) for (const u of uses) if (!closes.some((c) => ir.isInside(u, c))) edits.push({ start: u.start, end: u.end, newText: name });
  if (closes.length) {
    const removed = deleteStatements(model, closes);
    if (!removed) return undefined;
    edits.push(...removed);
  }
  return overlapping(edits) ? undefined : { edits };
}

/** A module-level, parameterless function that builds the same construction once (`getPool()` with `pool ??= new Pool(...)`). */
function memoisedGetter(model: CodeModel, callText: string): string | undefined {
  for (const f of model.functions) {
    if (f.params.length || !f.name || topLevel(f) === undefined || ir.enclosingFunction(f)) continue;
    const same = ir.find(f.body, (n) => n.type === 'Call' && ir.enclosingFunction(n) === f && squash(src(model, n)) === squash(callText));
    if (same && isMemoisedValue(model, same) && model.bindings(model.root).get(f.name)?.value === f) return f.name;
  }
  return undefined;
}

/** True when a function enclosing `fn` binds the name, which would shadow a module-level one. */
function boundOutside(model: CodeModel, fn: ir.Func, name: string): boolean {
  for (let f = ir.enclosingFunction(fn); f; f = ir.enclosingFunction(f)) if (model.bindings(f).has(name)) return true;
  return false;
}

/**
 * Where the shared instance goes: after the imports (and requires), and after the module-level
 * statements declaring the names its arguments use.
 */
function insertionPoint(model: CodeModel, refs: Binding[]): { offset: number; blankAround: boolean } | undefined {
  const body = model.root.body;
  let anchor: ir.Node | undefined;
  let isImport = false;
  for (const s of body) {
    if (s.type === 'Import' || isRequire(s) || (model.lang === 'py' && s.type === 'ExprStmt' && s.expr.type === 'Str' && s === body[0])) { anchor = s; isImport = true; }
  }
  for (const b of refs) {
    if (b.kind === 'import') continue;
    const stmt = topLevel(b.node);
    if (stmt && (!anchor || stmt.end > anchor.end)) { anchor = stmt; isImport = false; }
  }
  if (!anchor) return { offset: 0, blankAround: false };
  // Shared instances already placed there stay first, so several hoisted ones keep source order.
  for (let i = body.indexOf(anchor) + 1; i < body.length && isSharedInstance(model, body[i]); i++) anchor = body[i];
  const text = model.text;
  let end = text.indexOf('\n', anchor.end);
  if (end === -1) return undefined;
  end += 1;
  return { offset: end, blankAround: isImport };
}

function isSharedInstance(model: CodeModel, s: ir.Node): boolean {
  if (s.type !== 'Assign' || !s.value || s.target.type !== 'Ident') return false;
  const v = ir.unwrap(s.value);
  return v.type === 'Call' && !!dbClientOf(model, v);
}

function isRequire(s: ir.Node): boolean {
  if (s.type !== 'Assign' || !s.value) return false;
  let v = ir.unwrap(s.value);
  while (v.type === 'Member') v = ir.unwrap(v.object);
  return v.type === 'Call' && v.callee.type === 'Ident' && v.callee.name === 'require';
}

function topLevel(n: ir.Node): ir.Node | undefined {
  let cur: ir.Node | undefined = n;
  while (cur && cur.parent && cur.parent.type !== 'Program') cur = cur.parent;
  return cur?.parent ? cur : undefined;
}

/** Removes the function's indentation from the continuation lines of a moved statement. */
function dedent(s: string, indent: string): string {
  return s.split('\n').map((l, i) => (i && l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

function usesSemicolons(model: CodeModel): boolean {
  return model.cached('usesSemicolons', () => /;\s*$/m.test(model.text));
}

function overlapping(edits: TextEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return true;
  return false;
}
