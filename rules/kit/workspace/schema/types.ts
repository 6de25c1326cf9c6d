// The schema part of the workspace model: what the database looks like according to the files of
// the workspace (SQL migrations and schema.sql, schema.prisma, Django and SQLAlchemy models).
// Names are kept as written; lookups go through `key()` so `"Users"` and `users` meet.

/** Where a table or column is declared, so a fix can edit it there. */
export interface Origin {
  file: string;
  kind: 'sql' | 'knex' | 'alembic' | 'prisma' | 'django' | 'sqlalchemy' | 'drizzle' | 'sequelize' | 'typeorm';
  /** Offsets in `file` of the declaration (a model block, a field's call, a CREATE TABLE statement). */
  start: number;
  end: number;
}

export type OnDelete = 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action' | 'protect' | 'do nothing';

export interface ForeignKey {
  columns: string[];
  /** The referenced table (its SQL name). */
  table: string;
  refColumns: string[];
  /** Absent when the declaration says nothing (SQL's default is NO ACTION). */
  onDelete?: OnDelete;
}

export interface Index {
  /** Columns in index order; an expression index lists `(expr)` for its parts. */
  columns: string[];
  unique: boolean;
  name?: string;
}

export interface Column {
  name: string;
  /** The ORM attribute naming the column in code (Prisma field, Django field without `_id`), when it differs. */
  field?: string;
  /** The declared type as written (`Boolean`, `boolean`, `BooleanField`), when known. */
  type?: string;
  origin?: Origin;
}

export interface Table {
  /** The SQL name of the table. */
  name: string;
  /** The ORM class/model naming it in code (Prisma model, Django or SQLAlchemy class). */
  model?: string;
  columns: Column[];
  primaryKey: string[];
  /** Indexes and unique constraints, in declaration order. */
  indexes: Index[];
  foreignKeys: ForeignKey[];
  origin: Origin;
}

export interface Skipped { file: string; reason: string }

export interface Schema {
  tables: Table[];
  /** Files that could not be read in full; their tables are missing or partial. */
  skipped: Skipped[];
  /** Folders holding SQL migrations, with their files in order (for a new migration's name). */
  migrationDirs: { dir: string; files: string[] }[];
}

/** The lookup key of an SQL or model name: unquoted, without schema, lower case. */
export function key(name: string): string {
  const bare = name.replace(/["`[\]]/g, '');
  return bare.slice(bare.lastIndexOf('.') + 1).toLowerCase();
}

/**
 * A yes/no or enum column (a declared enum, Django `choices`): a handful of values, so a B-tree
 * index on it alone rarely pays; a partial index for a rare value is a design decision, not a fix.
 */
export function isBooleanColumn(c: Column | undefined): boolean {
  return !!c?.type && /^(?:bool(?:ean)?|BooleanField|NullBooleanField|tinyint\(1\)|enum)$/i.test(c.type);
}

export function newTable(name: string, origin: Origin, model?: string): Table {
  return { name, model, columns: [], primaryKey: [], indexes: [], foreignKeys: [], origin };
}

export function normaliseOnDelete(text: string | undefined): OnDelete | undefined {
  if (!text) return undefined;
  const t = text.replace(/^models\.|^['"]|['"]$/g, '').replace(/[_\s]+/g, ' ').trim().toLowerCase();
  const known: OnDelete[] = ['cascade', 'set null', 'set default', 'restrict', 'no action', 'protect', 'do nothing'];
  if (t === 'setnull') return 'set null';
  if (t === 'noaction') return 'no action';
  if (t === 'setdefault') return 'set default';
  return known.find((k) => k === t);
}
