// The schema of the workspace's database, built once per change of the workspace from every
// source that declares it: SQL migrations and schema.sql, schema.prisma, Django models and
// SQLAlchemy/SQLModel models. Where an ORM model and SQL migrations both declare a table, the
// model is the table's origin (a fix edits it) and the indexes of both count. A file that cannot
// be read is skipped with the reason; rules note it on the analysis (a notice naming the file).
import * as path from 'path';
import type { CodeModel } from '../../model/model';
import type { WorkspaceIndex } from '../../model/workspace';
import { applySqlFile, parseSqlFile } from './sql';
import { prismaTables } from './prisma';
import { djangoTables, resolveDjangoFks, type DjangoTable } from './django';
import { sqlalchemyTables } from './sqlalchemy';
import { applyKnex, isKnexMigration } from './knex';
import { drizzleTables } from './drizzle';
import { sequelizeTables } from './sequelize';
import { typeormTables } from './typeorm';
import { applyAlembic, isAlembicRevision, orderRevisions, type AlembicRevision } from './alembic';
import { key, type Schema, type Skipped, type Table } from './types';

export * from './types';

/** The workspace's schema, or undefined when no file of the workspace declares a table. */
export function schemaOf(ws: WorkspaceIndex): Schema | undefined {
  return ws.fact('schema', () => buildSchema(ws));
}

/** The schema for the analysed file's workspace; skipped schema files become notices of this analysis. */
export function schemaFor(model: CodeModel): Schema | undefined {
  const ws = model.workspace;
  if (!ws) return undefined;
  const schema = schemaOf(ws);
  for (const s of schema?.skipped ?? []) model.noteSkippedFactFile(s.file, s.reason);
  return schema;
}

/** Whether the file's workspace defines any table: a rule that judges queries by the schema has nothing to do without one. */
export function hasSchema(model: CodeModel): boolean {
  const ws = model.workspace;
  return !!ws && !!schemaOf(ws)?.tables.length;
}

/** A table by SQL name or by ORM model name. */
export function tableNamed(schema: Schema, name: string): Table | undefined {
  const k = key(name);
  return schema.tables.find((t) => key(t.name) === k) ?? schema.tables.find((t) => t.model && key(t.model) === k);
}

export function buildSchema(ws: WorkspaceIndex): Schema | undefined {
  const skipped: Skipped[] = [];
  const facts = ws.factFiles();
  const sqlFiles = facts.filter((f) => /\.sql$/i.test(f) && !/(?:^|[\\/])(?:seeds?|fixtures?|test|tests|queries)[\\/]/i.test(path.relative(ws.root, f))).sort(migrationOrder);
  const sqlTables = new Map<string, Table>();
  for (const f of sqlFiles) {
    const text = ws.read(f);
    if (text === undefined) continue;
    try {
      const problem = applySqlFile(sqlTables, ws.perFile(f, 'schema.sql', (t) => parseSqlFile(f, t)) ?? parseSqlFile(f, text));
      if (problem) skipped.push({ file: f, reason: `read in part: ${problem}` });
    } catch (e) {
      skipped.push({ file: f, reason: `skipped: ${(e as Error).message}` });
    }
  }
  // Knex and Alembic migrations describe the same database as SQL ones, in their own order.
  for (const f of ws.files('js').filter((x) => /(?:^|[\\/])migrations?[\\/]/i.test(path.relative(ws.root, x))).sort(migrationOrder)) {
    const text = ws.read(f);
    if (!text || !isKnexMigration(text)) continue;
    try { applyKnex(sqlTables, f, text); } catch (e) { skipped.push({ file: f, reason: `skipped: ${(e as Error).message}` }); }
  }
  const revisions: AlembicRevision[] = [];
  for (const f of ws.files('py').filter((x) => /(?:^|[\\/])versions[\\/]/i.test(path.relative(ws.root, x)))) {
    const text = ws.read(f);
    if (text && isAlembicRevision(text)) revisions.push({ file: f, text });
  }
  for (const r of orderRevisions(revisions.sort((a, b) => migrationOrder(a.file, b.file)))) {
    try { applyAlembic(sqlTables, r); } catch (e) { skipped.push({ file: r.file, reason: `skipped: ${(e as Error).message}` }); }
  }
  const orm: Table[] = [];
  // Copies kept aside (backups/, schema.old.prisma) describe no database the code runs against.
  const prismaFiles = facts.filter((x) => /\.prisma$/i.test(x) && !/backup|archive|\.bak|(?:^|[\\/.])old(?:[\\/.]|$)/i.test(path.relative(ws.root, x)));
  for (const f of prismaFiles) {
    const text = ws.read(f);
    if (text === undefined) continue;
    try { orm.push(...prismaTables(f, text)); } catch (e) { skipped.push({ file: f, reason: `skipped: ${(e as Error).message}` }); }
  }
  // Drizzle, Sequelize and TypeORM model definitions in JS/TS sources.
  for (const f of ws.files('js')) {
    const text = ws.read(f);
    if (!text || !/\b(?:pg|mysql|sqlite)Table\s*\(|\.define\s*\(|\.init\s*\(|@Entity\s*\(/.test(text)) continue;
    try { orm.push(...drizzleTables(f, text), ...sequelizeTables(f, text), ...typeormTables(f, text)); } catch (e) { skipped.push({ file: f, reason: `models skipped: ${(e as Error).message}` }); }
  }
  const django: DjangoTable[] = [];
  for (const f of ws.files('py')) {
    const text = ws.read(f);
    if (!text || !/\bmodels\.Model\b|__tablename__|table\s*=\s*True|\bdb\.Model\b/.test(text)) continue;
    try {
      django.push(...djangoTables(f, text));
      orm.push(...sqlalchemyTables(f, text));
    } catch (e) {
      skipped.push({ file: f, reason: `models skipped: ${(e as Error).message}` });
    }
  }
  resolveDjangoFks(django);
  orm.push(...django);
  const tables: Table[] = [];
  const seen = new Set<string>();
  for (const t of orm) {
    const k = key(t.name);
    if (seen.has(k)) continue;
    seen.add(k);
    const sql = sqlTables.get(k);
    if (sql) t.indexes.push(...sql.indexes.filter((i) => !t.indexes.some((j) => sameColumns(i.columns, j.columns))));
    tables.push(t);
  }
  for (const [k, t] of sqlTables) if (!seen.has(k)) tables.push(t);
  if (!tables.length && !skipped.length) return undefined;
  const dirs = new Map<string, string[]>();
  for (const f of sqlFiles) {
    const dir = path.dirname(f);
    // Prisma keeps each migration in a folder of its own: the migrations folder is its parent.
    const owner = path.basename(f) === 'migration.sql' ? path.dirname(dir) : dir;
    if (!/migrat|schema|db|sql/i.test(path.relative(ws.root, owner) || '.')) continue;
    dirs.set(owner, [...(dirs.get(owner) ?? []), f]);
  }
  return { tables, skipped, migrationDirs: [...dirs].map(([dir, files]) => ({ dir, files })) };
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((c, i) => key(c) === key(b[i]));
}

/** Migrations run in name order within a folder; schema.sql-style files come first. */
function migrationOrder(a: string, b: string): number {
  const da = path.dirname(a);
  const db = path.dirname(b);
  if (da !== db) return a < b ? -1 : 1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Whether the column leads some index, the primary key, or a unique constraint of the table. */
export function isIndexedLead(t: Table, column: string): boolean {
  const k = key(column);
  if (t.primaryKey.length && key(t.primaryKey[0]) === k) return true;
  return t.indexes.some((i) => i.columns.length && key(i.columns[0]) === k);
}

/** The column of a table named by SQL name or ORM field name. */
export function columnNamed(t: Table, name: string): string | undefined {
  const k = key(name);
  return (t.columns.find((c) => key(c.name) === k) ?? t.columns.find((c) => c.field && key(c.field) === k))?.name;
}
