// Tables, keys, indexes and foreign keys from SQL DDL (migrations, schema.sql, dumps), read with
// real parsers: pgsql-ast-parser for PostgreSQL, node-sql-parser's MySQL grammar for MySQL-style
// DDL (backquotes, inline KEY, ENGINE=). Statements apply in order, so a later migration's
// ALTER TABLE or DROP INDEX changes what an earlier one created. Statements that do not change
// the shape of tables (functions, grants, data) are passed over; a table-shaping statement that
// neither parser reads makes the file "partial" and is named in a notice.
import { splitStatements, lineAt } from './sql-statements';
import { key, newTable, normaliseOnDelete, type Index, type Origin, type Table } from './types';
import { applyMysqlAsts, mysqlAst } from './sql-mysql';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Ast = any;

const SHAPING = /^\s*(?:create\s+(?:(?:global\s+|local\s+)?(?:temp(?:orary)?\s+)?|unlogged\s+)?table|create\s+(?:unique\s+)?index|alter\s+table|drop\s+(?:table|index))\b/i;

let pg: { parse(sql: string): Ast[] } | undefined;
function pgParse(sql: string): Ast[] {
  pg ??= require('pgsql-ast-parser') as { parse(sql: string): Ast[] };
  return pg.parse(sql);
}

/** A table-shaping statement of a file with what the parsers made of it. */
interface ParsedStatement {
  origin: Origin;
  text: string;
  line: number;
  /** pgsql-ast-parser's statements; undefined when not tried (MySQL syntax) or not read. */
  pg?: Ast[];
  /** node-sql-parser's, when the PostgreSQL grammar was not used; null when it did not read it either. */
  mysql?: Ast[] | null;
}

/**
 * The table-shaping statements of one SQL file, parsed: a function of the text alone, so the
 * workspace keeps it per file and a change to one migration parses only that migration again.
 */
export function parseSqlFile(file: string, text: string): ParsedStatement[] {
  const out: ParsedStatement[] = [];
  for (const st of splitStatements(text)) {
    if (!SHAPING.test(st.text)) continue;
    const p: ParsedStatement = { origin: { file, kind: 'sql', start: st.start, end: st.start + st.text.length }, text: st.text, line: lineAt(text, st.start) };
    if (!/`|\bAUTO_INCREMENT\b|\bENGINE\s*=|^\s*create\s+table[^(]*\([\s\S]*,\s*(?:unique\s+)?key\s/i.test(st.text)) {
      try { p.pg = pgParse(st.text + ';'); } catch { /* tried MySQL next */ }
    }
    if (!p.pg) p.mysql = tryMysql(st.text);
    out.push(p);
  }
  return out;
}

function tryMysql(sql: string): Ast[] | null {
  try { return mysqlAst(sql); } catch { return null; }
}

/**
 * Applies the parsed statements of one SQL file to `tables`, in order; returns the reason the file
 * is partial (the first table-shaping statement neither parser read), if any.
 */
export function applySqlFile(tables: Map<string, Table>, statements: readonly ParsedStatement[]): string | undefined {
  let problem: string | undefined;
  for (const st of statements) {
    let done = false;
    if (st.pg) {
      try {
        for (const s of st.pg) applyPg(tables, s, st.origin);
        done = true;
      } catch { /* a statement the PostgreSQL reader could not apply: MySQL's grammar next */ }
    }
    if (!done) {
      const asts = st.mysql !== undefined ? st.mysql : tryMysql(st.text);
      done = !!asts && applyMysqlAsts(tables, asts, st.origin);
    }
    if (!done) problem ??= `the statement at line ${st.line} (${st.text.split('\n')[0].slice(0, 60)}) could not be parsed`;
  }
  return problem;
}

const nm = (n: Ast) => (typeof n === 'string' ? n : n?.name) as string;

function tableOf(tables: Map<string, Table>, name: string): Table | undefined {
  return tables.get(key(name));
}

function applyPg(tables: Map<string, Table>, s: Ast, origin: Origin): void {
  switch (s.type) {
    case 'create table': {
      const name = nm(s.name);
      if (s.ifNotExists && tables.has(key(name))) return;
      const t = newTable(name, origin);
      for (const c of s.columns ?? []) {
        if (c.kind !== 'column') continue;
        const col = nm(c.name);
        t.columns.push({ name: col, type: c.dataType?.name, origin });
        for (const k of c.constraints ?? []) columnConstraint(t, col, k);
      }
      for (const k of s.constraints ?? []) tableConstraint(t, k);
      tables.set(key(name), t);
      return;
    }
    case 'create index': {
      const t = tableOf(tables, nm(s.table));
      if (!t) return;
      const cols = (s.expressions ?? []).map((e: Ast) => (e.expression?.type === 'ref' ? e.expression.name : '(expr)'));
      // A partial index (WHERE ...) is counted: it serves the queries its condition was written for.
      t.indexes.push({ columns: cols, unique: !!s.unique, name: s.indexName ? nm(s.indexName) : undefined });
      return;
    }
    case 'alter table': {
      const t = tableOf(tables, nm(s.table));
      if (!t) return;
      for (const ch of s.changes ?? []) {
        if (ch.type === 'add column') {
          const col = nm(ch.column.name);
          t.columns.push({ name: col, origin });
          for (const k of ch.column.constraints ?? []) columnConstraint(t, col, k);
        } else if (ch.type === 'add constraint') tableConstraint(t, ch.constraint);
        else if (ch.type === 'drop column') {
          const col = key(nm(ch.column));
          t.columns = t.columns.filter((c) => key(c.name) !== col);
          t.indexes = t.indexes.filter((i) => !i.columns.some((c) => key(c) === col));
        } else if (ch.type === 'rename') {
          tables.delete(key(t.name));
          t.name = nm(ch.to);
          tables.set(key(t.name), t);
        } else if (ch.type === 'drop constraint') {
          const n = key(nm(ch.constraint));
          t.indexes = t.indexes.filter((i) => !i.name || key(i.name) !== n);
        }
      }
      return;
    }
    case 'drop table':
      for (const n of s.names ?? []) tables.delete(key(nm(n)));
      return;
    case 'drop index':
      for (const n of s.names ?? []) for (const t of tables.values()) t.indexes = t.indexes.filter((i) => !i.name || key(i.name) !== key(nm(n)));
      return;
  }
}

function columnConstraint(t: Table, col: string, k: Ast): void {
  if (k.type === 'primary key') t.primaryKey = [col];
  else if (k.type === 'unique') t.indexes.push({ columns: [col], unique: true });
  else if (k.type === 'reference') t.foreignKeys.push({ columns: [col], table: nm(k.foreignTable), refColumns: (k.foreignColumns ?? []).map(nm), onDelete: normaliseOnDelete(k.onDelete) });
}

function tableConstraint(t: Table, k: Ast): void {
  const name = k.constraintName ? nm(k.constraintName) : undefined;
  if (k.type === 'primary key') t.primaryKey = (k.columns ?? []).map(nm);
  else if (k.type === 'unique') t.indexes.push({ columns: (k.columns ?? []).map(nm), unique: true, name } as Index);
  else if (k.type === 'foreign key') t.foreignKeys.push({ columns: (k.localColumns ?? []).map(nm), table: nm(k.foreignTable), refColumns: (k.foreignColumns ?? []).map(nm), onDelete: normaliseOnDelete(k.onDelete) });
}
