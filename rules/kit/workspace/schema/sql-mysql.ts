// MySQL-style DDL (backquoted names, inline KEY/INDEX, ENGINE=...) read with node-sql-parser's
// MySQL grammar, applied to the same tables as the PostgreSQL reader.
import { key, newTable, normaliseOnDelete, type Origin, type Table } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Ast = any;

let parser: { astify(sql: string, opts?: object): Ast } | undefined;
/** The statement parsed by the MySQL grammar; throws when it does not read it. */
export function mysqlAst(sql: string): Ast[] {
  if (!parser) {
    const { Parser } = require('node-sql-parser/build/mysql') as { Parser: new () => { astify(sql: string, opts?: object): Ast } };
    parser = new Parser();
  }
  const ast = parser.astify(sql, { database: 'mysql' });
  return Array.isArray(ast) ? ast : [ast];
}

const colName = (c: Ast): string => {
  const col = c?.column ?? c;
  return typeof col === 'string' ? col : col?.expr?.value ?? String(col);
};
const tableName = (t: Ast): string => (Array.isArray(t) ? t[0]?.table : t?.table) as string;

/** Applies one statement's parse; false when it does not apply. */
export function applyMysqlAsts(tables: Map<string, Table>, asts: readonly Ast[], origin: Origin): boolean {
  try { for (const s of asts) apply(tables, s, origin); } catch { return false; }
  return true;
}

function apply(tables: Map<string, Table>, s: Ast, origin: Origin): void {
  {
    if (s.type === 'create' && s.keyword === 'table') {
      const name = tableName(s.table);
      const t = newTable(name, origin);
      for (const d of s.create_definitions ?? []) definition(t, d, origin);
      tables.set(key(name), t);
    } else if (s.type === 'create' && s.keyword === 'index') {
      const t = tables.get(key(tableName(s.table)));
      if (t) t.indexes.push({ columns: (s.index_columns ?? []).map(colName), unique: s.index_type === 'unique', name: s.index });
    } else if (s.type === 'alter') {
      const t = tables.get(key(tableName(s.table)));
      if (!t) return;
      for (const e of s.expr ?? []) if (e.action === 'add') definition(t, e.create_definitions ?? e, origin);
    } else if (s.type === 'drop' && s.keyword === 'table') {
      for (const n of s.name ?? []) tables.delete(key(n.table));
    }
  }
}

function definition(t: Table, d: Ast, origin: Origin): void {
  const cols: string[] = Array.isArray(d.definition) ? d.definition.map(colName) : [];
  if (d.resource === 'column') {
    const col = colName(d.column);
    t.columns.push({ name: col, origin });
    if (d.primary_key) t.primaryKey = [col];
    if (d.unique || d.unique_or_primary === 'unique') t.indexes.push({ columns: [col], unique: true });
    const ref = d.reference_definition;
    if (ref) t.foreignKeys.push({ columns: [col], table: tableName(ref.table), refColumns: (ref.definition ?? []).map(colName), onDelete: onDelete(ref) });
  } else if (d.resource === 'constraint') {
    const type = String(d.constraint_type ?? '').toLowerCase();
    if (type === 'primary key') t.primaryKey = cols;
    else if (type.startsWith('unique')) t.indexes.push({ columns: cols, unique: true, name: d.constraint ?? d.index });
    else if (type === 'foreign key') {
      const ref = d.reference_definition;
      t.foreignKeys.push({ columns: cols, table: tableName(ref.table), refColumns: (ref.definition ?? []).map(colName), onDelete: onDelete(ref) });
    }
  } else if (d.resource === 'index') {
    t.indexes.push({ columns: cols, unique: false, name: d.index });
  }
}

function onDelete(ref: Ast) {
  const a = (ref.on_action ?? []).find((x: Ast) => x.type === 'on delete');
  return normaliseOnDelete(a?.value?.value);
}
