// Tables from SQLAlchemy declarative models (classic `Column`, 2.0 `mapped_column`, Flask-SQLAlchemy
// `db.Column`) and SQLModel `table=True` classes: `__tablename__` (or the default name), columns
// with `primary_key`, `unique`, `index`, `ForeignKey("users.id", ondelete=...)` /
// `Field(foreign_key=..., ondelete=...)`, and `__table_args__` indexes and unique constraints.
import { pyClasses, pyStrings, type PyAssign } from './py-classes';
import { str } from './text-calls';
import { newTable, normaliseOnDelete, type Table } from './types';

const COLUMN = /^(?:\w+\.)*(Column|mapped_column|Field)$/;

export function sqlalchemyTables(file: string, text: string): Table[] {
  if (!/\b(?:sqlalchemy|sqlmodel|SQLAlchemy)\b/.test(text)) return [];
  const out: Table[] = [];
  for (const c of pyClasses(text)) {
    const tablename = str(c.assigns.find((a) => a.name === '__tablename__')?.value);
    const sqlmodel = /\btable\s*=\s*True\b/.test(c.bases);
    const flask = /\bdb\.Model\b/.test(c.bases);
    if (!tablename && !sqlmodel && !flask) continue;
    const columns = c.assigns.filter((a) => a.call && COLUMN.test(a.call) && (a.call.endsWith('Field') ? sqlmodel : true));
    if (!columns.length) continue;
    const name = tablename ?? (sqlmodel ? c.name.toLowerCase() : snake(c.name));
    const t = newTable(name, { file, kind: 'sqlalchemy', start: c.start, end: c.end }, c.name);
    for (const a of columns) column(t, a, file);
    const args = c.assigns.find((a) => a.name === '__table_args__')?.value ?? '';
    for (const m of args.matchAll(/\b(Index|UniqueConstraint)\(([^)]*)\)/g)) {
      const strs = pyStrings(m[2].replace(/\b(?:name|postgresql_\w+)\s*=\s*(['"])[^'"]*\1/g, ''));
      const cols = m[1] === 'Index' ? strs.slice(1) : strs;
      const attrs = [...m[2].matchAll(/\b\w+\.(\w+)\b/g)].map((x) => x[1]);
      const names = cols.length ? cols : attrs;
      if (names.length) t.indexes.push({ columns: names.map((n) => t.columns.find((x) => x.field === n)?.name ?? n), unique: m[1] === 'UniqueConstraint' || /unique\s*=\s*True/.test(m[2]) });
    }
    out.push(t);
  }
  return out;
}

function column(t: Table, a: PyAssign, file: string): void {
  const args = a.args ?? [];
  const kw = (k: string) => args.find((x) => x.kw === k)?.text;
  const col = str(kw('name')) ?? str(args.find((x) => !x.kw)?.text) ?? a.name;
  const type = args.map((x) => /^(?:\w+\.)?(Boolean|Integer|String|Text|DateTime|Date|Enum)\b/.exec(x.text)?.[1]).find(Boolean) ?? (/\bMapped\[\s*(?:Optional\[\s*)?bool\b/.test(a.value) ? 'Boolean' : undefined);
  t.columns.push({ name: col, field: a.name, type, origin: { file, kind: 'sqlalchemy', start: a.start, end: a.end } });
  if (kw('primary_key') === 'True') t.primaryKey.push(col);
  if (kw('unique') === 'True') t.indexes.push({ columns: [col], unique: true });
  else if (kw('index') === 'True') t.indexes.push({ columns: [col], unique: false });
  const fkCall = args.map((x) => /^(?:\w+\.)?ForeignKey\(([^)]*)\)/.exec(x.text)?.[1]).find(Boolean);
  const target = fkCall ? str(fkCall.split(',')[0]) : str(kw('foreign_key'));
  if (target) {
    const ondelete = fkCall ? str(/ondelete\s*=\s*([^,)]+)/.exec(fkCall)?.[1]) : str(kw('ondelete'));
    const [table, ref] = target.includes('.') ? [target.slice(0, target.lastIndexOf('.')), target.slice(target.lastIndexOf('.') + 1)] : [target, 'id'];
    t.foreignKeys.push({ columns: [col], table, refColumns: [ref], onDelete: normaliseOnDelete(ondelete) });
  }
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
