// The SQL sink model: which calls execute SQL text, in which driver dialect, and where
// their parameters go.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { stringParts, type StringBuild } from '../model/values';

export type Dialect =
  | 'pg'         // $1..$n with a values array
  | 'mysql'      // ? with a values array (mysql, mysql2)
  | 'sqlite'     // ? with values as extra arguments or an array (better-sqlite3, sqlite3)
  | 'knex'       // ? with a bindings array
  | 'sequelize'  // ? with { replacements: [...] }
  | 'prisma'     // tagged template $queryRaw`...`
  | 'dbapi'      // %s with a parameters tuple (psycopg2, pymysql, MySQLdb)
  | 'pysqlite'   // ? with a parameters tuple (sqlite3)
  | 'sqlalchemy' // :name with a dict
  | 'unknown';

export interface SqlSink {
  call: ir.Call;
  method: string;
  /** The argument holding SQL text. */
  sqlArg: ir.Node;
  build: StringBuild;
  dialect: Dialect;
  /** Existing parameters argument, if the call already has one. */
  paramsArg?: ir.Node;
  /** Methods whose SQL is a fragment (whereRaw) rather than a statement. */
  fragment: boolean;
}

/** Methods that only ever take SQL: the text need not look like a statement. */
const SQL_ONLY = new Set(['$queryRawUnsafe', '$executeRawUnsafe', 'whereRaw', 'orWhereRaw', 'andWhereRaw', 'havingRaw', 'orHavingRaw', 'joinRaw', 'orderByRaw', 'groupByRaw', 'selectRaw', 'fromRaw', 'unsafe', 'read_sql', 'read_sql_query', 'executescript']);
/** Generic names (query, run, get, exec...) count only when the text reads like SQL. */
const SQL_GENERIC = new Set(['query', 'execute', 'executemany', 'raw', 'prepare', 'exec', 'run', 'all', 'get', 'each', 'none', 'one', 'many', 'any', 'oneOrNone', 'manyOrNone', 'result', 'text', 'sql', 'mogrify', 'executeQuery', 'queryRaw', 'createQueryBuilder']);

const STATEMENT = /^\s*\(?\s*(select|insert|update|delete|with|replace|merge|create|drop|alter|truncate|call|exec|pragma|upsert|grant|revoke|show|describe|explain|set|begin|commit|values)\s/i;
const FRAGMENT = /\b(where|from|values|order\s+by|group\s+by|join|limit|and|or|like|in)\b|[=<>]/i;

export function looksLikeSql(text: string, fragment: boolean): boolean {
  if (STATEMENT.test(text)) return true;
  return fragment && FRAGMENT.test(text);
}

/** The SQL sink this call is, if any (computed once per call). */
export function sqlSink(model: CodeModel, call: ir.Call): SqlSink | undefined {
  const cache = model.table<ir.Call, SqlSink | null>('sqlSinks');
  const hit = cache.get(call);
  if (hit !== undefined) return hit ?? undefined;
  const s = computeSink(model, call);
  cache.set(call, s ?? null);
  return s;
}

function computeSink(model: CodeModel, call: ir.Call): SqlSink | undefined {
  const method = ir.calleeName(call);
  if (!method || call.isNew) return undefined;
  const sqlOnly = SQL_ONLY.has(method);
  if (!sqlOnly && !SQL_GENERIC.has(method)) return undefined;
  // Bare functions: only SQLAlchemy's text() and pandas-style read_sql qualify.
  if (call.callee.type === 'Ident' && !(method === 'text' || method === 'read_sql' || method === 'read_sql_query' || method === 'sql')) return undefined;
  const args = ir.positional(call);
  let sqlArg = args[0];
  // sequelize.query({ query, values }) and pg's query({ text, values })
  if (sqlArg && ir.unwrap(sqlArg).type === 'ObjectLit') {
    const o = ir.unwrap(sqlArg) as ir.ObjectLit;
    const t = ir.propOf(o, 'text') ?? ir.propOf(o, 'query') ?? ir.propOf(o, 'sql');
    if (!t) return undefined;
    sqlArg = t.value;
  }
  if (!sqlArg) return undefined;
  const build = stringParts(model, sqlArg, 0, call);
  if (!build) return undefined;
  const fragment = sqlOnly || /Raw$/.test(method) || method === 'text';
  const constPrefix = build.parts.map((p) => (p.kind === 'const' ? p.text : ' x ')).join('');
  if (!looksLikeSql(constPrefix, fragment)) return undefined;
  // `text` is SQLAlchemy only in Python; `sql` only as a function (pg-format style).
  if (method === 'text' && model.lang !== 'py') return undefined;
  const dialect = dialectFor(model, call, method);
  const paramsArg = paramsArgument(model, call, method, dialect);
  return { call, method, sqlArg, build, dialect, paramsArg, fragment };
}

function paramsArgument(model: CodeModel, call: ir.Call, method: string, dialect: Dialect): ir.Node | undefined {
  if (model.lang === 'py') {
    const kw = ir.keywordArg(call, 'params') ?? ir.keywordArg(call, 'parameters') ?? ir.keywordArg(call, 'args');
    return kw ?? ir.positional(call)[1];
  }
  if (dialect === 'sequelize') {
    const opts = call.args[1] && ir.unwrap(call.args[1]);
    if (opts?.type === 'ObjectLit') return ir.propOf(opts, 'replacements')?.value ?? ir.propOf(opts, 'bind')?.value;
    return undefined;
  }
  if (dialect === 'prisma' || method === '$queryRawUnsafe' || method === '$executeRawUnsafe') return call.args[1];
  const second = call.args[1];
  if (!second) return undefined;
  // A callback in second position (mysql's query(sql, cb)) is not a parameters argument.
  return isCallback(model, second) ? undefined : second;
}

const JS_DRIVERS: [RegExp, Dialect][] = [
  [/^(pg|pg-pool|pg-promise|@vercel\/postgres|@neondatabase\/serverless|postgres|slonik)$/, 'pg'],
  [/^(mysql|mysql2|mysql2\/promise|@planetscale\/database|mariadb)$/, 'mysql'],
  [/^(better-sqlite3|sqlite3|sqlite|bun:sqlite|node:sqlite|@libsql\/client)$/, 'sqlite'],
  [/^knex$/, 'knex'],
  [/^sequelize$/, 'sequelize'],
  [/^@prisma\/client$/, 'prisma'],
];
const PY_DRIVERS: [RegExp, Dialect][] = [
  [/^(sqlite3|aiosqlite)$/, 'pysqlite'],
  [/^(psycopg2|psycopg|psycopg2\.\w+|pymysql|MySQLdb|mysql\.connector|aiomysql|asyncpg|pg8000)$/, 'dbapi'],
  [/^sqlalchemy/, 'sqlalchemy'],
  [/^django\.db/, 'dbapi'],
];

/** The driver dialect of a sink, from the method, the receiver and the file's imports. */
export function dialectFor(model: CodeModel, call: ir.Call, method: string): Dialect {
  if (method === '$queryRawUnsafe' || method === '$executeRawUnsafe') return 'prisma';
  if (/Raw$/.test(method) && method !== 'queryRaw') return 'knex';
  if (model.lang === 'py') {
    if (method === 'text') return 'sqlalchemy';
    return fileDialect(model) ?? 'unknown';
  }
  const recv = ir.receiver(call);
  const recvName = recv ? ir.dottedName(recv) ?? '' : '';
  if (/sequelize/i.test(recvName)) return 'sequelize';
  if (/knex/i.test(recvName) && method === 'raw') return 'knex';
  return fileDialect(model) ?? 'unknown';
}

export function fileDialect(model: CodeModel): Dialect | undefined {
  return model.cached('fileDialect', () => {
    const table = model.lang === 'py' ? PY_DRIVERS : JS_DRIVERS;
    for (const [re, d] of table) if (model.usesModule((m) => re.test(m))) return d;
    // Placeholders already used in the file say which driver it talks to.
    if (model.lang === 'js') {
      if (/\$1\b/.test(model.text) && /\b(query|execute)\s*\(/.test(model.text)) return 'pg';
    }
    return undefined;
  });
}

/** Dialect from the workspace's dependencies, for files that import their db from a local module. */
export function dialectFromPackageJson(pkgText: string | undefined): Dialect | undefined {
  if (!pkgText) return undefined;
  let deps: Record<string, string> = {};
  try {
    const pkg = JSON.parse(pkgText);
    deps = { ...pkg.dependencies, ...pkg.devDependencies };
  } catch { return undefined; }
  for (const [re, d] of JS_DRIVERS) for (const name of Object.keys(deps)) if (re.test(name)) return d;
  return undefined;
}

export function dialectFromRequirements(text: string | undefined): Dialect | undefined {
  if (!text) return undefined;
  if (/^\s*psycopg|^\s*pymysql|^\s*mysqlclient/im.test(text)) return 'dbapi';
  return undefined;
}

function isCallback(model: CodeModel, n: ir.Node): boolean {
  const u = ir.unwrap(n);
  if (u.type === 'Func') return true;
  if (u.type !== 'Ident') return false;
  const b = model.resolve(u);
  if (b?.kind === 'func' || b?.value?.type === 'Func') return true;
  return /^(cb|callback|done|next|handler|fn)$/i.test(u.name);
}
