import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { dbClientOf } from '../kit/frameworks/db-clients';
import { functionName, isMemoisedValue, isModuleApi, perRequestContext, type PerRequest } from '../kit/frameworks/per-request';
import { src } from '../kit/model/literals';
import { CLOSE_METHODS, planFix } from './connection-per-request.fix';
import { usesOf } from './connection-per-request.fix-py';

const messages = {
  created: '{what} is created inside {where}{via}: every {unit} opens new connections and concurrent {unit}s exhaust the database connection limit; create it once at module scope and share it',
  opened: '{what} opens a new database connection inside {where}{via}: concurrent {unit}s exhaust the database connection limit; borrow connections from a pool created once at module scope',
  perCall: '{what} is created and closed inside {where} on every call: its callers, such as request handlers, open new connections each time and concurrent calls exhaust the database connection limit; create it once at module scope and share it',
  perCallOpened: '{what} opens and closes a database connection inside {where} on every call: its callers, such as request handlers, open new connections each time and concurrent calls exhaust the database connection limit; borrow connections from a pool created once at module scope',
};

/** Functions that run once at startup or shutdown, or from a terminal. */
const STARTUP_NAMES = /^(main|run|seed|migrate|init|initialize|setup|bootstrap|start|cli|shutdown|teardown|backfill|cron)([A-Z_]|$)/;

export default defineRule({
  id: 'connection-per-request',
  category: 'reliability',
  severity: 'error',
  languages: ['js', 'py'],
  scope: 'file',
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
