// Tables from Drizzle schema files: `pgTable`/`mysqlTable`/`sqliteTable('name', { col: type('db_name')
// .primaryKey().unique().references(() => other.id, { onDelete: 'cascade' }) }, (t) => [index().on(t.a, t.b)])`.
// The table's model name is the exported variable, which is how queries name it (`eq(users.email, x)`).
import { mask, matching } from '../../frameworks/router-mounts';
import { objectProps, propsOf } from './js-objects';
import { str, textCalls } from './text-calls';
import { newTable, normaliseOnDelete, type Table } from './types';

export function drizzleTables(file: string, text: string): Table[] {
  if (!/\b(?:pg|mysql|sqlite)Table\s*\(/.test(text)) return [];
  const code = mask(text);
  const out: Table[] = [];
  const pending: { t: Table; col: string; target: string; onDelete?: string }[] = [];
  for (const c of textCalls(text, code, '\\b(?:pg|mysql|sqlite)Table')) {
    const name = str(c.args[0]);
    const variable = /(?:const|let|var)\s+([\w$]+)\s*=\s*$/.exec(code.slice(Math.max(0, c.start - 80), c.start))?.[1];
    if (!name) continue;
    const t = newTable(name, { file, kind: 'drizzle', start: c.start, end: c.close + 1 }, variable ?? name);
    const colsOpen = code.indexOf('{', c.open);
    if (colsOpen === -1 || colsOpen > c.close) continue;
    for (const p of objectProps(text, code, colsOpen)) {
      const v = mask(p.value);
      const type = /^(\w+)\s*\(/.exec(v)?.[1];
      if (!type) continue;
      const col = str(/^\w+\s*\(\s*(['"`][^'"`]*['"`])/.exec(p.value)?.[1]) ?? p.key;
      t.columns.push({ name: col, field: p.key, type, origin: { file, kind: 'drizzle', start: p.start, end: p.end } });
      if (/\.primaryKey\s*\(/.test(v) || /^(?:serial|bigserial)$/.test(type) && /\.primaryKey/.test(v)) t.primaryKey = [col];
      if (/\.unique\s*\(/.test(v)) t.indexes.push({ columns: [col], unique: true });
      const ref = /\.references\s*\(\s*\(\s*\)\s*(?::\s*\w+\s*)?=>\s*([\w$]+)\.([\w$]+)/.exec(p.value);
      if (ref) pending.push({ t, col, target: `${ref[1]}.${ref[2]}`, onDelete: /onDelete\s*:\s*['"]([\w ]+)['"]/.exec(p.value)?.[1] });
    }
    // The extra config: index('x').on(t.a, t.b), uniqueIndex(...).on(...), primaryKey({ columns: [...] }).
    const colsClose = matching(code, colsOpen);
    const extra = text.slice(colsClose + 1, c.close);
    const extraCode = code.slice(colsClose + 1, c.close);
    for (const m of extraCode.matchAll(/\b(uniqueIndex|index|unique)\s*\([^)]*\)\s*\.on\s*\(([^)]*)\)/g)) {
      const cols = [...extra.slice(m.index!, m.index! + m[0].length).replace(/^[^.]*\.on/, '').matchAll(/[\w$]+\.([\w$]+)/g)].map((x) => x[1]);
      t.indexes.push({ columns: cols.map((f) => t.columns.find((x) => x.field === f)?.name ?? f), unique: m[1] !== 'index' });
    }
    const pk = /primaryKey\s*\(\s*\{([^}]*)\}/.exec(extraCode);
    if (pk) t.primaryKey = [...propsOf(`{${extra.slice(extraCode.indexOf(pk[1]), extraCode.indexOf(pk[1]) + pk[1].length)}}`).get('columns')?.matchAll(/[\w$]+\.([\w$]+)/g) ?? []].map((x) => x[1]);
    out.push(t);
  }
  for (const p of pending) {
    const [v, field] = p.target.split('.');
    const target = out.find((x) => x.model === v);
    p.t.foreignKeys.push({ columns: [p.col], table: target?.name ?? v, refColumns: [target?.columns.find((c) => c.field === field)?.name ?? field], onDelete: normaliseOnDelete(p.onDelete) });
  }
  return out;
}
