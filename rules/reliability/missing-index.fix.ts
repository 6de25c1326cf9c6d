// Add index: written where the workspace declares the table. A Prisma model gets `@@index`, a
// Django field `db_index=True`, an SQLAlchemy/SQLModel column `index=True`; a table kept in SQL
// gets a new migration in the folder and naming scheme of the workspace's own migrations (or, with
// no migrations folder, the CREATE INDEX appended to the schema file that creates the table).
import * as path from 'path';
import type { FixContext, FixResult, RuleFix, TextEdit } from '../kit/rule';
import { columnNamed, isIndexedLead, key, schemaOf, type Schema, type Table } from '../kit/workspace/schema';
import { newMigration, sqlIdent } from '../kit/fixes/migrations';
import { alembicIndexRevision, knexIndexMigration } from './missing-index.fix-migrations';

export const addIndexFix: RuleFix = {
  title: (f) => `Add index on ${f.data?.table}.${f.data?.column}`,
  safety: 'unsafe',
  produce(finding, ctx): FixResult | undefined {
    const ws = ctx.model.workspace;
    const schema = ws && schemaOf(ws);
    const table = schema?.tables.find((t) => key(t.name) === key(String(finding.data?.table)));
    const column = table && columnNamed(table, String(finding.data?.column));
    // Another finding's fix of this pass may have indexed the column already.
    if (!schema || !table || !column || isIndexedLead(table, column)) return undefined;
    const text = ctx.readFile(table.origin.file);
    if (text === undefined) return undefined;
    const edit = (edits: TextEdit[], title: string): FixResult => ({ edits: [], files: [{ kind: 'edit', path: table.origin.file, edits }], title });
    const col = table.columns.find((c) => c.name === column)!;
    switch (table.origin.kind) {
      case 'prisma': {
        const close = text.lastIndexOf('}', table.origin.end - 1);
        const lineStart = text.lastIndexOf('\n', close - 1) + 1;
        const indent = /^\n?([ \t]+)\w/m.exec(text.slice(table.origin.start, close).replace(/^[^\n]*/, ''))?.[1] ?? '  ';
        const between = text.slice(lineStart, close).trim() ? '\n' : '';
        return edit([{ start: close, end: close, newText: `${between}${indent}@@index([${col.field ?? column}])\n` }], `Add @@index([${col.field ?? column}]) to model ${table.model} (then run prisma migrate dev)`);
      }
      case 'django':
      case 'sqlalchemy': {
        if (!col.origin) return undefined;
        const kw = table.origin.kind === 'django' ? 'db_index=True' : 'index=True';
        const at = keywordInsertion(text, col.origin.end - 1, kw);
        const then = table.origin.kind === 'django' ? 'then run makemigrations' : 'then generate the migration';
        return edit([at], `Add ${kw} to ${table.model}.${col.field ?? column} (${then})`);
      }
      case 'sql':
        return sqlIndex(ctx, schema, table, column, text);
      case 'knex':
        return knexIndexMigration(ws, table, column, indexName(table, column));
      case 'alembic':
        return alembicIndexRevision(ws, table, column, indexName(table, column));
    }
  },
};

function indexName(table: Table, column: string): string {
  return `${table.name}_${column}_idx`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
}

/** `, kw` before the call's closing parenthesis at `close`, in the call's own layout. */
function keywordInsertion(text: string, close: number, kw: string): TextEdit {
  let i = close;
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  if (text[i - 1] === '(') return { start: close, end: close, newText: kw };
  if (text[i - 1] === ',') {
    // One argument per line, with a trailing comma: a line of its own.
    const lineStart = text.lastIndexOf('\n', close - 1) + 1;
    const prevLine = text.slice(text.lastIndexOf('\n', i - 2) + 1, i);
    const indent = /^[ \t]*/.exec(prevLine)![0];
    return /^\s*$/.test(text.slice(lineStart, close)) ? { start: lineStart, end: lineStart, newText: `${indent}${kw},\n` } : { start: i, end: i, newText: ` ${kw},` };
  }
  return { start: i, end: i, newText: `, ${kw}` };
}

function sqlIndex(ctx: FixContext, schema: Schema, table: Table, column: string, text: string): FixResult {
  const mysql = /`|\bAUTO_INCREMENT\b|\bENGINE\s*=/i.test(text);
  const name = indexName(table, column);
  const rel = path.relative(ctx.workspaceRoot ?? path.dirname(ctx.file), ctx.file).replace(/\\/g, '/');
  const up = mysql
    ? `-- Index for the query on ${table.name}.${column} in ${rel}\nCREATE INDEX ${sqlIdent(name, true)} ON ${sqlIdent(table.name, true)} (${sqlIdent(column, true)});\n`
    : `-- Index for the query on ${table.name}.${column} in ${rel}.\n-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ${sqlIdent(name)} ON ${sqlIdent(table.name)} (${sqlIdent(column)});\n`;
  const down = mysql ? `DROP INDEX ${sqlIdent(name, true)} ON ${sqlIdent(table.name, true)};\n` : `DROP INDEX CONCURRENTLY IF EXISTS ${sqlIdent(name)};\n`;
  const home = schema.migrationDirs.find((d) => d.files.includes(table.origin.file)) ?? (schema.migrationDirs.length === 1 ? schema.migrationDirs[0] : undefined);
  if (home && (/migrat/i.test(path.basename(home.dir)) || home.files.length > 1)) {
    const m = newMigration(home.dir, home.files, `add_${name}`, up, down);
    return { edits: [], files: m.files.map((f) => ({ kind: 'create' as const, path: f.path, content: f.content })), title: `Add index on ${table.name}.${column} in a new migration ${path.basename(m.files[0].path)}` };
  }
  // One schema file, no migrations folder: the index goes beside the table.
  const sep = text.endsWith('\n') ? '\n' : '\n\n';
  return { edits: [], files: [{ kind: 'edit', path: table.origin.file, edits: [{ start: text.length, end: text.length, newText: sep + up }] }], title: `Add index on ${table.name}.${column} to ${path.basename(table.origin.file)}` };
}
