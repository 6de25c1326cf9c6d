// Which columns a SQL statement filters and joins on, read with a real SQL parser
// (pgsql-ast-parser) from the statement's constant text: placeholders of every driver (`$1`, `?`,
// `%s`, `%(name)s`, `:name`) and dynamic parts become parameters first. Only the conjuncts of a
// WHERE (`a = $1 AND b > $2`) count as filters; the branches of an OR are not, since no single
// index serves them.
import type { SqlSink } from './sql';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Ast = any;

export interface SqlColumnUse {
  /** Table name as written (alias resolved); undefined for an unqualified column of a multi-table FROM. */
  table?: string;
  column: string;
}

export interface SqlStatementFilters {
  kind: 'select' | 'update' | 'delete';
  /** Tables the statement reads or changes, alias resolved. */
  tables: string[];
  /** Columns compared in the WHERE's top-level AND (=, IN, ranges, BETWEEN). */
  where: SqlColumnUse[];
  /** Per joined table: the columns its ON compares with another table's column. */
  joins: SqlColumnUse[];
}

let pg: { parse(sql: string): Ast[] } | undefined;

/** The SQL text of a sink with every parameter and dynamic part as `$n`; undefined when a dynamic part is more than a value. */
export function sinkSqlText(sink: SqlSink): string | undefined {
  let out = '';
  let n = 0;
  for (const p of sink.build.parts) {
    if (p.kind === 'const') out += p.text;
    else out += `$${++n}`;
  }
  return normalisePlaceholders(out);
}

export function normalisePlaceholders(sql: string): string {
  let n = 100;
  return sql
    .replace(/`/g, '"')
    .replace(/%\(\w+\)s|%s/g, () => `$${++n}`)
    .replace(/(?<![:\w]):(\w+)/g, () => `$${++n}`)
    .replace(/\?/g, () => `$${++n}`);
}

/** The filters of each statement of the text; undefined when it does not parse. */
export function sqlFilters(sql: string): SqlStatementFilters[] | undefined {
  pg ??= require('pgsql-ast-parser') as { parse(sql: string): Ast[] };
  let stmts: Ast[];
  try { stmts = pg.parse(sql); } catch { return undefined; }
  const out: SqlStatementFilters[] = [];
  for (const s of stmts) {
    const aliases = new Map<string, string>();
    const add = (name: Ast) => { if (name?.name) aliases.set((name.alias ?? name.name).toLowerCase(), name.name); };
    let kind: SqlStatementFilters['kind'];
    const joins: { table: string; on: Ast }[] = [];
    if (s.type === 'select') {
      kind = 'select';
      for (const f of s.from ?? []) {
        if (f.type !== 'table') continue;
        add(f.name);
        if (f.join?.on) joins.push({ table: f.name.name, on: f.join.on });
      }
    } else if (s.type === 'update') { kind = 'update'; add(s.table); for (const f of s.from ? [s.from] : []) if (f.type === 'table') add(f.name); }
    else if (s.type === 'delete') { kind = 'delete'; add(s.from); }
    else continue;
    const tables = [...new Set(aliases.values())];
    const ref = (e: Ast): SqlColumnUse | undefined => {
      while (e?.type === 'cast') e = e.operand;
      if (e?.type !== 'ref' || e.name === '*') return undefined;
      const t = e.table?.name ? aliases.get(e.table.name.toLowerCase()) ?? e.table.name : tables.length === 1 ? tables[0] : undefined;
      return { table: t, column: e.name };
    };
    const where: SqlColumnUse[] = [];
    const conj = (e: Ast) => {
      if (!e) return;
      if (e.type === 'binary' && e.op === 'AND') { conj(e.left); conj(e.right); return; }
      if (e.type === 'binary' && ['=', 'IN', '>', '<', '>=', '<=', '@>'].includes(e.op)) {
        const l = ref(e.left);
        const r = ref(e.right);
        // A column compared with another column of the same statement is a join condition, not a filter.
        if (l && !r) where.push(l);
        else if (r && !l && e.op === '=') where.push(r);
      } else if (e.type === 'ternary' && e.op === 'BETWEEN') {
        const v = ref(e.value);
        if (v) where.push(v);
      }
    };
    conj(s.where);
    const joinUses: SqlColumnUse[] = [];
    for (const j of joins) {
      const eqs: Ast[] = [];
      const collect = (e: Ast) => { if (e?.type === 'binary' && e.op === 'AND') { collect(e.left); collect(e.right); } else if (e?.type === 'binary' && e.op === '=') eqs.push(e); };
      collect(j.on);
      for (const e of eqs) {
        const l = ref(e.left);
        const r = ref(e.right);
        if (!l || !r) continue;
        const mine = [l, r].find((x) => x.table?.toLowerCase() === j.table.toLowerCase());
        if (mine) joinUses.push(mine);
      }
    }
    out.push({ kind, tables, where, joins: joinUses });
  }
  return out;
}
