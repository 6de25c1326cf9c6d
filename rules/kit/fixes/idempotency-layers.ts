// The idempotency helper for data layers other than node-postgres: mysql2 (INSERT IGNORE on a
// primary key), better-sqlite3 (INSERT OR IGNORE), Knex (a primary-key insert in its own
// transaction or savepoint, duplicates caught), Prisma (create on the ProcessedEvent model, P2002
// caught) and mongoose (a unique index, duplicate-key error 11000 caught). Every variant claims
// the id before the side effects and releases it when they throw.
import type { ModuleStyle } from './idempotency-helper';

export type JsLayer = 'pg' | 'mysql2' | 'sqlite' | 'knex' | 'prisma' | 'mongoose' | 'typeorm';

const LABEL: Record<JsLayer, string> = { pg: 'node-postgres', mysql2: 'mysql2', sqlite: 'better-sqlite3', knex: 'Knex', prisma: 'Prisma', mongoose: 'mongoose', typeorm: 'TypeORM' };

/** The data layer a generated helper was written for, from its first line; undefined for the app's own helpers. */
export function helperLayer(text: string): JsLayer | undefined {
  const m = /^\/\/ Runs a webhook's side effects at most once per event id(?: \(([\w-]+)\))?\./.exec(text);
  if (!m) return undefined;
  return (Object.keys(LABEL) as JsLayer[]).find((k) => LABEL[k] === (m[1] ?? LABEL.pg));
}

const WHY = `//
// Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response
// is slow or fails, sometimes while the first delivery is still running. A unique key on the
// event id lets exactly one delivery claim it, so concurrent and later duplicates skip the side
// effects. The claim is taken before the side effects run and released when they throw, so the
// provider's retry runs them again. A process that dies between the two leaves the id claimed
// and the event is not re-run: reconcile from the provider's event log if that matters.
`;

interface Parts {
  /** How the claim works, after the shared explanation. */
  how: string;
  imports?: (style: ModuleStyle) => string;
  /** Declarations before the claim (DDL, models, types). */
  setup: (ts: boolean, exp: string) => string;
  claim: (ts: boolean) => string;
  release: (ts: boolean) => string;
  /** Parameter list of the exported function. */
  params: (ts: boolean) => string;
  exports: string[];
}

const T = (ts: boolean, type: string) => (ts ? `: ${type}` : '');

const SQL_DDL = (idType: string, tsType: string) => `\`CREATE TABLE IF NOT EXISTS processed_events (
  event_id ${idType} PRIMARY KEY,
  processed_at ${tsType} NOT NULL DEFAULT CURRENT_TIMESTAMP
)\``;

const PARTS: Record<Exclude<JsLayer, 'pg'>, Parts> = {
  mysql2: {
    how: '// INSERT IGNORE on the primary key claims atomically: of concurrent deliveries exactly one\n// inserts the row. Pass the pool from mysql2/promise (or pool.promise()), or a connection of an\n// open transaction. The table is created on first use; put PROCESSED_EVENTS_DDL in a migration\n// instead when the application\'s database user may not create tables.\n',
    setup: (ts, exp) => `${exp}const PROCESSED_EVENTS_DDL = ${SQL_DDL('VARCHAR(255)', 'TIMESTAMP')};
${ts ? `
/** What the helper needs from a mysql2/promise pool or connection. */
export interface Queryable {
  query(sql: string, values?: unknown[]): Promise<unknown>;
}
` : ''}
const tables = new WeakMap${ts ? '<Queryable, Promise<unknown>>' : ''}();

async function claim(db${T(ts, 'Queryable')}, eventId${T(ts, 'string')})${T(ts, 'Promise<boolean>')} {
  let ready = tables.get(db);
  if (!ready) {
    ready = db.query(PROCESSED_EVENTS_DDL).catch((err${T(ts, 'unknown')}) => {
      tables.delete(db);
      throw err;
    });
    tables.set(db, ready);
  }
  await ready;
  const [result] = (await db.query('INSERT IGNORE INTO processed_events (event_id) VALUES (?)', [eventId]))${ts ? ' as [{ affectedRows: number }]' : ''};
  return result.affectedRows === 1;
}
`,
    claim: () => 'await claim(db, id)',
    release: () => "await db.query('DELETE FROM processed_events WHERE event_id = ?', [id])",
    params: (ts) => `db${T(ts, 'Queryable')}, eventId${T(ts, 'string')}, fn${T(ts, '() => Promise<unknown>')}`,
    exports: ['PROCESSED_EVENTS_DDL'],
  },
  sqlite: {
    how: '// INSERT OR IGNORE on the primary key claims atomically (SQLite runs one writer at a time).\n// The table is created on first use; put PROCESSED_EVENTS_DDL in a migration instead if you\n// keep the schema there.\n',
    setup: (ts, exp) => `${exp}const PROCESSED_EVENTS_DDL = ${SQL_DDL('TEXT', 'TEXT')};
${ts ? `
/** What the helper needs from a better-sqlite3 Database. */
export interface SqliteDb {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
}
` : ''}
const tables = new WeakSet${ts ? '<SqliteDb>' : ''}();

function claim(db${T(ts, 'SqliteDb')}, eventId${T(ts, 'string')})${T(ts, 'boolean')} {
  if (!tables.has(db)) {
    db.exec(PROCESSED_EVENTS_DDL);
    tables.add(db);
  }
  return db.prepare('INSERT OR IGNORE INTO processed_events (event_id) VALUES (?)').run(eventId).changes === 1;
}
`,
    claim: () => 'claim(db, id)',
    release: () => "db.prepare('DELETE FROM processed_events WHERE event_id = ?').run(id)",
    params: (ts) => `db${T(ts, 'SqliteDb')}, eventId${T(ts, 'string')}, fn${T(ts, '() => Promise<unknown>')}`,
    exports: ['PROCESSED_EVENTS_DDL'],
  },
  knex: {
    how: '// The primary key rejects a second insert of the same id. The insert runs in a transaction of\n// its own (a savepoint when db is a transaction), so a rejected duplicate leaves the caller\'s\n// transaction usable; PostgreSQL, MySQL/MariaDB and SQLite report the duplicate differently.\n// The table is created on first use; create it in a migration instead when the application\'s\n// database user may not create tables.\n',
    imports: (style) => (style === 'ts' ? "import type { Knex } from 'knex';\n" : ''),
    setup: (ts) => `const tables = new WeakMap${ts ? '<Knex, Promise<void>>' : ''}();

async function createTable(db${T(ts, 'Knex')})${T(ts, 'Promise<void>')} {
  if (await db.schema.hasTable('processed_events')) return;
  try {
    await db.schema.createTable('processed_events', (t) => {
      t.string('event_id', 255).primary();
      t.timestamp('processed_at').notNullable().defaultTo(db.fn.now());
    });
  } catch (err) {
    // Created at the same moment by a concurrent first delivery.
    if (!(await db.schema.hasTable('processed_events'))) throw err;
  }
}

function isDuplicate(err${T(ts, 'unknown')})${T(ts, 'boolean')} {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  return code === '23505' || code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}

async function claim(db${T(ts, 'Knex')}, eventId${T(ts, 'string')})${T(ts, 'Promise<boolean>')} {
  let ready = tables.get(db);
  if (!ready) {
    ready = createTable(db).catch((err) => {
      tables.delete(db);
      throw err;
    });
    tables.set(db, ready);
  }
  await ready;
  try {
    await db.transaction((t) => t('processed_events').insert({ event_id: eventId }));
    return true;
  } catch (err) {
    if (isDuplicate(err)) return false;
    throw err;
  }
}
`.replace('(err as { code?: string } | undefined)?.code', ts ? '(err as { code?: string } | undefined)?.code' : 'err?.code'),
    claim: () => 'await claim(db, id)',
    release: () => "await db('processed_events').where({ event_id: id }).del()",
    params: (ts) => `db${T(ts, 'Knex')}, eventId${T(ts, 'string')}, fn${T(ts, '() => Promise<unknown>')}`,
    exports: [],
  },
  prisma: {
    how: '// The ProcessedEvent model (schema.prisma) keys on the event id: of concurrent deliveries exactly\n// one creates the row and the others get P2002 (unique constraint failed). Pass the Prisma client,\n// or the transaction client of an interactive transaction.\n',
    setup: (ts) => (ts ? `/** What the helper needs from a Prisma client with the ProcessedEvent model. */
export interface ProcessedEvents {
  processedEvent: {
    create(args: { data: { eventId: string } }): Promise<unknown>;
    delete(args: { where: { eventId: string } }): Promise<unknown>;
  };
}
` : ''),
    claim: () => `await db.processedEvent.create({ data: { eventId: id } }).then(
    () => true,
    (err) => {
      if (err?.code === 'P2002') return false;
      throw err;
    },
  )`,
    release: () => 'await db.processedEvent.delete({ where: { eventId: id } })',
    params: (ts) => `db${T(ts, 'ProcessedEvents')}, eventId${T(ts, 'string')}, fn${T(ts, '() => Promise<unknown>')}`,
    exports: [],
  },
  typeorm: {
    how: '// INSERT ... ON CONFLICT DO NOTHING (PostgreSQL) or INSERT IGNORE (MySQL, MariaDB) on the primary\n// key claims atomically. Pass the DataSource, or the EntityManager of an open transaction to make\n// the claim part of it. The table is created on first use; put PROCESSED_EVENTS_DDL in a\n// migration instead when the application\'s database user may not create tables.\n',
    imports: (style) => (style === 'ts' ? "import type { DataSource, EntityManager } from 'typeorm';\n" : ''),
    setup: (ts, exp) => `${exp}const PROCESSED_EVENTS_DDL = ${SQL_DDL('VARCHAR(255)', 'TIMESTAMP')};
${ts ? '\ntype Db = DataSource | EntityManager;\n' : ''}
const tables = new WeakMap${ts ? '<Db, Promise<unknown>>' : ''}();

function dialectOf(db${T(ts, 'Db')})${T(ts, 'string')} {
  return ('options' in db ? db.options : db.connection.options).type;
}

async function claim(db${T(ts, 'Db')}, eventId${T(ts, 'string')})${T(ts, 'Promise<boolean>')} {
  let ready = tables.get(db);
  if (!ready) {
    ready = db.query(PROCESSED_EVENTS_DDL).catch((err) => {
      // Created at the same moment by a concurrent first delivery.
      if (err?.code === '23505' || err?.code === '42P07') return;
      tables.delete(db);
      throw err;
    });
    tables.set(db, ready);
  }
  await ready;
  const type = dialectOf(db);
  if (type === 'postgres') {
    const rows = await db.query('INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING RETURNING event_id', [eventId]);
    return rows.length === 1;
  }
  if (type === 'mysql' || type === 'mariadb') {
    const result = await db.query('INSERT IGNORE INTO processed_events (event_id) VALUES (?)', [eventId]);
    return result.affectedRows === 1;
  }
  throw new Error(\`oncePerEvent has no claim for a \${type} database\`);
}
`,
    claim: () => 'await claim(db, id)',
    release: () => "await db.query(dialectOf(db) === 'postgres' ? 'DELETE FROM processed_events WHERE event_id = $1' : 'DELETE FROM processed_events WHERE event_id = ?', [id])",
    params: (ts) => `db${T(ts, 'Db')}, eventId${T(ts, 'string')}, fn${T(ts, '() => Promise<unknown>')}`,
    exports: ['PROCESSED_EVENTS_DDL'],
  },
  mongoose: {
    how: '// The processed_events collection has a unique index on eventId: of concurrent deliveries exactly\n// one inserts the document and the others get the duplicate-key error (11000).\n',
    imports: (style) => (style === 'cjs' ? "const mongoose = require('mongoose');\n" : "import mongoose from 'mongoose';\n"),
    setup: (ts, exp) => `const processedEventSchema = new mongoose.Schema(
  {
    eventId: { type: String, required: true, unique: true },
    processedAt: { type: Date, default: Date.now },
  },
  { collection: 'processed_events' },
);

${exp}const ProcessedEvent = mongoose.models.ProcessedEvent || mongoose.model('ProcessedEvent', processedEventSchema);

async function claim(eventId${T(ts, 'string')})${T(ts, 'Promise<boolean>')} {
  // Builds the unique index before the first claim relies on it.
  await ProcessedEvent.init();
  try {
    await ProcessedEvent.create({ eventId });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}
`.replace(/\(err as \{ code\?: number \}\)\.code/, ts ? '(err as { code?: number }).code' : 'err.code'),
    claim: () => 'await claim(id)',
    release: () => 'await ProcessedEvent.deleteOne({ eventId: id })',
    params: (ts) => `eventId${T(ts, 'string')}, fn${T(ts, '() => Promise<unknown>')}`,
    exports: ['ProcessedEvent'],
  },
};

/** The helper module for a data layer other than node-postgres, in the handler's module style. */
export function layerHelperSource(layer: Exclude<JsLayer, 'pg'>, style: ModuleStyle, fnName: string): string {
  const p = PARTS[layer];
  const ts = style === 'ts';
  const exp = style === 'cjs' ? '' : 'export ';
  const header = `// Runs a webhook's side effects at most once per event id (${LABEL[layer]}).\n${WHY}//\n${p.how}`;
  const imports = p.imports?.(style) ?? '';
  const body = `/**
 * Calls \`fn\` unless \`eventId\` was already claimed. Resolves to true when \`fn\` ran and to
 * false for a duplicate delivery.
 */
${exp}async function ${fnName}(${p.params(ts)})${T(ts, 'Promise<boolean>')} {
  if (!eventId) throw new Error('${fnName} needs the event id');
  const id = String(eventId);
  const claimed = ${p.claim(ts)};
  if (!claimed) return false;
  try {
    await fn();
  } catch (err) {
    // Release the claim so the provider's retry runs the side effects again. If releasing fails
    // too, the side effects' error is the one worth reporting.
    try {
      ${p.release(ts)};
    } catch {
      // keep the side effects' error
    }
    throw err;
  }
  return true;
}
`;
  const cjsExports = style === 'cjs' ? `\nmodule.exports = { ${[fnName, ...p.exports].join(', ')} };\n` : '';
  return `${header}\n${imports}${imports ? '\n' : ''}${p.setup(ts, exp)}\n${body}${cjsExports}`;
}

/** The Prisma model the helper needs, appended to schema.prisma. */
export const PRISMA_MODEL = `
/// Webhook event ids claimed by oncePerEvent (the idempotency helper): the key lets one delivery run.
model ProcessedEvent {
  eventId     String   @id
  processedAt DateTime @default(now())
}
`;

/** The migration creating ProcessedEvent in the datasource's SQL, as prisma migrate would write it. */
export function prismaMigrationSql(provider: string): string | undefined {
  if (provider === 'postgresql' || provider === 'postgres') {
    return '-- CreateTable\nCREATE TABLE "ProcessedEvent" (\n    "eventId" TEXT NOT NULL,\n    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n\n    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("eventId")\n);\n';
  }
  if (provider === 'mysql') {
    return '-- CreateTable\nCREATE TABLE `ProcessedEvent` (\n    `eventId` VARCHAR(191) NOT NULL,\n    `processedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n\n    PRIMARY KEY (`eventId`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n';
  }
  if (provider === 'sqlite') {
    return '-- CreateTable\nCREATE TABLE "ProcessedEvent" (\n    "eventId" TEXT NOT NULL PRIMARY KEY,\n    "processedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n';
  }
  return undefined;
}
