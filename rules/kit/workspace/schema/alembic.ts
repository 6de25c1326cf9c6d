// Tables from Alembic migrations: the `upgrade()` of each revision, in revision order
// (down_revision chain), read for `op.create_table` (sa.Column, PrimaryKeyConstraint,
// ForeignKeyConstraint, UniqueConstraint, Index), `op.add_column`, `op.create_index`,
// `op.create_unique_constraint`, `op.create_foreign_key`, `op.drop_index` and `op.drop_table`.
import { maskPy } from '../../model/comments';
import { kwarg, str, strs, textCalls } from './text-calls';
import { key, newTable, normaliseOnDelete, type Table } from './types';

export interface AlembicRevision { file: string; text: string; revision?: string; down?: string }

export function isAlembicRevision(text: string): boolean {
  return /\bfrom\s+alembic\s+import\s+op\b|\bimport\s+alembic\b/.test(text) && /\bdef\s+upgrade\s*\(/.test(text);
}

/** Revisions in the order they apply: each after its down_revision; unknown links keep file order. */
export function orderRevisions(revs: AlembicRevision[]): AlembicRevision[] {
  for (const r of revs) {
    r.revision = str(/^revision\s*(?::[^=\n]*)?=\s*(['"][^'"]*['"])/m.exec(r.text)?.[1]);
    r.down = str(/^down_revision\s*(?::[^=\n]*)?=\s*(['"][^'"]*['"])/m.exec(r.text)?.[1]);
  }
  const byId = new Map(revs.filter((r) => r.revision).map((r) => [r.revision!, r]));
  const depth = (r: AlembicRevision, seen = new Set<AlembicRevision>()): number => {
    const parent = r.down ? byId.get(r.down) : undefined;
    if (!parent || seen.has(parent)) return 0;
    seen.add(r);
    return 1 + depth(parent, seen);
  };
  return revs.map((r) => ({ r, d: depth(r) })).sort((a, b) => a.d - b.d).map((x) => x.r);
}

export function applyAlembic(tables: Map<string, Table>, rev: AlembicRevision): void {
  const { file, text } = rev;
  const code = maskPy(text);
  const up = /^def\s+upgrade\s*\([^)]*\)[^:]*:/m.exec(code);
  if (!up) return;
  const next = /^\S/m.exec(code.slice(up.index + up[0].length));
  const end = next ? up.index + up[0].length + next.index : code.length;
  const origin = (start: number, stop: number) => ({ file, kind: 'alembic' as const, start, end: stop });
  for (const c of textCalls(text, code, 'op\\.\\w+', up.index, end)) {
    const op = c.name.slice(3);
    const t = () => tables.get(key(str(c.args[0]) ?? ''));
    if (op === 'create_table') {
      const name = str(c.args[0]);
      if (!name) continue;
      const table = newTable(name, origin(c.start, c.close + 1));
      for (const a of c.args.slice(1)) element(table, a);
      tables.set(key(name), table);
    } else if (op === 'add_column') t() && element(t()!, c.args[1] ?? '');
    else if (op === 'create_index') {
      const table = tables.get(key(str(c.args[1]) ?? str(kwarg(c.args, 'table_name')) ?? ''));
      const cols = strs(c.args[2] ?? kwarg(c.args, 'columns'));
      if (table && cols.length) table.indexes.push({ columns: cols, unique: kwarg(c.args, 'unique') === 'True', name: str(c.args[0]) ?? str(/op\.f\(([^)]*)\)/.exec(c.args[0] ?? '')?.[1]) });
    } else if (op === 'create_unique_constraint') {
      const table = tables.get(key(str(c.args[1]) ?? ''));
      if (table) table.indexes.push({ columns: strs(c.args[2]), unique: true, name: str(c.args[0]) });
    } else if (op === 'create_foreign_key') {
      const table = tables.get(key(str(c.args[1]) ?? ''));
      const ref = str(c.args[2]);
      if (table && ref) table.foreignKeys.push({ columns: strs(c.args[3]), table: ref, refColumns: strs(c.args[4]), onDelete: normaliseOnDelete(str(kwarg(c.args, 'ondelete'))) });
    } else if (op === 'drop_index') {
      const name = str(c.args[0]) ?? str(/op\.f\(([^)]*)\)/.exec(c.args[0] ?? '')?.[1]);
      for (const table of tables.values()) table.indexes = table.indexes.filter((i) => !name || i.name !== name);
    } else if (op === 'drop_table') tables.delete(key(str(c.args[0]) ?? ''));
  }
}

/** One argument of create_table/add_column: a column or a table constraint. */
function element(t: Table, a: string): void {
  const code = maskPy(a);
  const head = /^(?:sa\.|sqlalchemy\.)?(\w+)\s*\(/.exec(code);
  if (!head) return;
  const inner = textCalls(a, code, head[0].slice(0, -1).replace(/\./g, '\\.').replace(/\s+$/, ''))[0];
  if (!inner) return;
  const args = inner.args;
  switch (head[1]) {
    case 'Column': {
      const col = str(args[0]);
      if (!col) return;
      const type = /^(?:sa\.)?(\w+)/.exec(args[1] ?? '')?.[1];
      t.columns.push({ name: col, type });
      if (kwarg(args, 'primary_key') === 'True') t.primaryKey.push(col);
      if (kwarg(args, 'unique') === 'True') t.indexes.push({ columns: [col], unique: true });
      else if (kwarg(args, 'index') === 'True') t.indexes.push({ columns: [col], unique: false });
      const fk = args.map((x) => /^(?:sa\.)?ForeignKey\(([^)]*)\)/.exec(x)?.[1]).find(Boolean);
      const target = fk && str(fk.split(',')[0]);
      if (target) t.foreignKeys.push({ columns: [col], table: target.slice(0, target.lastIndexOf('.')), refColumns: [target.slice(target.lastIndexOf('.') + 1)], onDelete: normaliseOnDelete(str(/ondelete\s*=\s*([^,)]+)/.exec(fk!)?.[1])) });
      return;
    }
    case 'PrimaryKeyConstraint': t.primaryKey = args.map(str).filter((x): x is string => !!x); return;
    case 'UniqueConstraint': t.indexes.push({ columns: args.map(str).filter((x): x is string => !!x), unique: true }); return;
    case 'Index': t.indexes.push({ columns: args.slice(1).map(str).filter((x): x is string => !!x), unique: kwarg(args, 'unique') === 'True', name: str(args[0]) }); return;
    case 'ForeignKeyConstraint': {
      const refs = strs(args[1]);
      const table = refs[0]?.slice(0, refs[0].lastIndexOf('.'));
      if (table) t.foreignKeys.push({ columns: strs(args[0]), table, refColumns: refs.map((r) => r.slice(r.lastIndexOf('.') + 1)), onDelete: normaliseOnDelete(str(kwarg(args, 'ondelete'))) });
    }
  }
}
