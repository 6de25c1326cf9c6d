// What deleting rows of a table leaves behind, per the schema's foreign keys: tables whose rows
// reference it through a key that neither cascades nor nulls (ON DELETE NO ACTION/RESTRICT, Prisma
// Restrict, Django PROTECT/DO_NOTHING), followed down through tables that are deleted too (by
// cascade or by the code), in the order their rows must go.
import { key, type ForeignKey, type Schema, type Table } from './types';

/** A table reached from the deleted one, with the path of foreign keys leading to it (nearest last). */
export interface Dependent { table: Table; path: { from: Table; fk: ForeignKey }[] }

const HANDLED_BY_DB = new Set(['cascade', 'set null', 'set default']);

/**
 * The dependents of `root` the code must delete itself, children before parents, given the tables
 * it already deletes or rewrites (`handled`, lookup keys).
 */
export function unhandledDependents(schema: Schema, root: Table, handled: Set<string>): Dependent[] {
  const out: Dependent[] = [];
  const seen = new Set<string>([key(root.name)]);
  const visit = (t: Table, path: Dependent['path'], depth: number) => {
    if (depth > 4) return;
    for (const r of schema.tables) {
      for (const fk of r.foreignKeys) {
        if (key(fk.table) !== key(t.name) || seen.has(key(r.name))) continue;
        if (fk.onDelete === 'set null' || fk.onDelete === 'set default') continue;
        seen.add(key(r.name));
        const next = [...path, { from: r, fk }];
        // Rows that go by cascade or by the code may still be referenced from further down.
        visit(r, next, depth + 1);
        if (!HANDLED_BY_DB.has(fk.onDelete ?? '') && !handled.has(key(r.name)) && !(r.model && handled.has(key(r.model)))) out.push({ table: r, path: next });
      }
    }
  };
  visit(root, [], 0);
  return out;
}

/** Every table the deletion of `root` removes rows from, by cascade or by the code, children first (for generated deletes). */
export function deletionOrder(deps: Dependent[]): Dependent[] {
  return [...deps].sort((a, b) => b.path.length - a.path.length);
}
