// Calls that open database or cache connections: pools, clients and single connections of the
// drivers and ORMs the catalog models (pg, mysql/mysql2, Prisma, MongoDB, mongoose, ioredis,
// node-redis, Sequelize, Knex, postgres.js, TypeORM; SQLAlchemy, psycopg2/psycopg, PyMySQL,
// asyncpg, redis-py, PyMongo/Motor), recognised by the module they are imported from.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';

export interface DbClient {
  /** For messages: `pg Pool`, `PrismaClient`, `psycopg2.connect`. */
  what: string;
  /** 'pool'/'client' manage their own connections; 'connection' is a single one. */
  kind: 'pool' | 'client' | 'connection';
  /** The name a hoisted instance gets when the construction is not assigned to a variable. */
  name: string;
  /** Why moving the construction to module scope is not a correct fix, when it is not. */
  noHoist?: string;
  /** Methods that must run once per instance and break when called again (node-redis `connect`). */
  onceMethods?: string[];
}

interface Entry extends DbClient { re: RegExp; isNew?: boolean }

const CONNECT_ONCE = 'it is created asynchronously: connect once at startup and share the connection';
const JS: Entry[] = [
  { re: /^(pg|pg-pool)(\.default)?\.Pool$|^pg-pool$/, isNew: true, what: 'pg Pool', kind: 'pool', name: 'pool' },
  { re: /^pg(\.default)?\.Client$/, isNew: true, what: 'pg Client', kind: 'connection', name: 'client', noHoist: 'a Client is one connection: share a module-level pg Pool and call pool.query instead' },
  { re: /^mysql2?\.(createPool|createPoolCluster)$/, what: 'mysql pool', kind: 'pool', name: 'pool' },
  { re: /^mysql2?\.createConnection$/, what: 'mysql connection', kind: 'connection', name: 'connection', noHoist: 'share a module-level mysql.createPool(...) instead' },
  { re: /(^|\.)PrismaClient$/, isNew: true, what: 'PrismaClient', kind: 'client', name: 'prisma' },
  { re: /^mongodb\.MongoClient$/, isNew: true, what: 'MongoClient', kind: 'client', name: 'client' },
  { re: /^mongodb\.MongoClient\.connect$/, what: 'MongoClient connection', kind: 'client', name: 'client', noHoist: CONNECT_ONCE },
  { re: /^mongoose(\.default)?\.connect$/, what: 'mongoose connection', kind: 'client', name: 'connection', noHoist: 'call mongoose.connect once at startup' },
  { re: /^mongoose(\.default)?\.createConnection$/, what: 'mongoose connection', kind: 'client', name: 'connection' },
  { re: /^ioredis(\.(default|Redis|Cluster))?$/, isNew: true, what: 'Redis client', kind: 'client', name: 'redis' },
  { re: /^(redis|@redis\/client)\.(createClient|createCluster)$/, what: 'Redis client', kind: 'client', name: 'redis', onceMethods: ['connect'] },
  { re: /^sequelize(-typescript)?\.Sequelize$/, isNew: true, what: 'Sequelize instance', kind: 'pool', name: 'sequelize' },
  { re: /^knex(\.knex|\.default)?$/, what: 'knex instance', kind: 'pool', name: 'db' },
  { re: /^postgres(\.default)?$/, what: 'postgres.js client', kind: 'pool', name: 'sql' },
  { re: /^typeorm\.DataSource$/, isNew: true, what: 'TypeORM DataSource', kind: 'pool', name: 'dataSource', onceMethods: ['initialize'] },
];
const PY: Entry[] = [
  { re: /^sqlalchemy(\.ext\.asyncio)?\.(create_engine|create_async_engine)$/, what: 'SQLAlchemy engine', kind: 'pool', name: 'engine' },
  { re: /^(psycopg2|psycopg|pymysql|MySQLdb|mysql\.connector|asyncpg|aiomysql)\.connect$|^psycopg\.(Async)?Connection\.connect$/, what: '', kind: 'connection', name: 'conn' },
  { re: /^psycopg2\.pool\.(Simple|Threaded|Persistent)ConnectionPool$/, what: 'psycopg2 connection pool', kind: 'pool', name: 'db_pool' },
  { re: /^psycopg_pool\.(Async)?ConnectionPool$/, what: 'psycopg connection pool', kind: 'pool', name: 'db_pool' },
  { re: /^(asyncpg|aiomysql)\.create_pool$/, what: '', kind: 'pool', name: 'db_pool', noHoist: 'it is created asynchronously: create it once at startup (a FastAPI lifespan handler) and share it' },
  { re: /^(redis|redis\.asyncio|aioredis)\.(Redis|StrictRedis|from_url|Redis\.from_url|StrictRedis\.from_url)$/, what: 'Redis client', kind: 'client', name: 'redis_client' },
  { re: /^pymongo\.MongoClient$|^motor\.motor_asyncio\.AsyncIOMotorClient$/, what: 'MongoClient', kind: 'client', name: 'mongo_client' },
];

/** Any entry's pattern, in one regular expression: most calls match none, and one test rules them out. */
const ANY_JS = new RegExp(JS.map((e) => `(?:${e.re.source})`).join('|'));
const ANY_PY = new RegExp(PY.map((e) => `(?:${e.re.source})`).join('|'));

/**
 * The modules every entry above starts with (the first dot-separated part of its qualified callee);
 * PrismaClient is matched by name, wherever it is imported from. Keep in step with the tables.
 */
const JS_HEADS = new Set(['pg', 'pg-pool', 'mysql', 'mysql2', 'mysql/promise', 'mysql2/promise', 'mongodb', 'mongoose', 'ioredis', 'redis', '@redis/client', 'sequelize', 'sequelize-typescript', 'knex', 'postgres', 'typeorm']);
const PY_HEADS = new Set(['sqlalchemy', 'psycopg2', 'psycopg', 'pymysql', 'MySQLdb', 'mysql', 'asyncpg', 'aiomysql', 'psycopg_pool', 'redis', 'aioredis', 'pymongo', 'motor']);

/**
 * Whether the call's qualified callee can match an entry: its root is imported from (or required
 * as) one of their modules, or the callee is named PrismaClient. Most calls are ruled out here,
 * before their qualified name is built.
 */
function mayOpenConnection(model: CodeModel, c: ir.Call): boolean {
  let cur = ir.unwrap(c.callee);
  let last: string | undefined;
  while (cur.type === 'Member') { last ??= cur.prop; cur = ir.unwrap(cur.object); }
  if (last === 'PrismaClient') return true;
  let module: string | undefined;
  if (cur.type === 'Call' && cur.callee.type === 'Ident' && cur.callee.name === 'require' && cur.args[0]?.type === 'Str') module = cur.args[0].value;
  else if (cur.type === 'Ident') {
    const imp = model.moduleOf(cur.name);
    if (imp?.imported === 'PrismaClient' || imp?.module.endsWith('PrismaClient')) return true;
    module = imp?.module;
  }
  if (!module) return false;
  const dot = module.indexOf('.');
  return (model.lang === 'js' ? JS_HEADS : PY_HEADS).has(dot === -1 ? module : module.slice(0, dot));
}

/** What a call constructs, when it opens database or cache connections. */
export function dbClientOf(model: CodeModel, c: ir.Call): DbClient | undefined {
  if (!mayOpenConnection(model, c)) return undefined;
  const q = qualifiedCallee(model, c);
  if (!q || !(model.lang === 'js' ? ANY_JS : ANY_PY).test(q)) return undefined;
  for (const e of model.lang === 'js' ? JS : PY) {
    if (!e.re.test(q) || (e.isNew !== undefined && e.isNew !== c.isNew)) continue;
    const { re: _re, isNew: _n, ...client } = e;
    return { ...client, what: client.what || q };
  }
  return undefined;
}

/**
 * The callee as `module.path`: `new Pool()` with `Pool` from 'pg' is `pg.Pool`, `psycopg2.connect`
 * is `psycopg2.connect`, `require('knex')({...})` is `knex`. Undefined when the root is not imported.
 */
export function qualifiedCallee(model: CodeModel, c: ir.Call): string | undefined {
  let cur = ir.unwrap(c.callee);
  let links = 0;
  while (cur.type === 'Member') { cur = ir.unwrap(cur.object); links++; }
  let base: string | undefined;
  if (cur.type === 'Call' && cur.callee.type === 'Ident' && cur.callee.name === 'require' && cur.args[0]?.type === 'Str') base = cur.args[0].value;
  else if (cur.type === 'Ident') {
    const imp = model.moduleOf(cur.name);
    if (!imp) return undefined;
    const module = imp.module;
    if (imp.imported === '*' || imp.imported === 'default') base = model.lang === 'py' && module.startsWith(cur.name + '.') ? cur.name : module;
    else base = `${module}.${imp.imported}`;
  }
  if (!base) return undefined;
  // The member names are collected only for a root that names a module (most calls' does not).
  const rest: string[] = new Array(links);
  for (let m = ir.unwrap(c.callee), i = links - 1; m.type === 'Member'; m = ir.unwrap(m.object), i--) rest[i] = m.prop;
  return [base.replace(/^mysql2\/promise/, 'mysql2').replace(/^mysql\/promise/, 'mysql'), ...rest].join('.');
}
