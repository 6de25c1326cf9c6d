// Tables from Django models: a class deriving from `models.Model` is the table
// `<app>_<model>` (or `Meta.db_table`), its fields the columns (a ForeignKey `user` is the column
// `user_id`, indexed by Django unless `db_index=False`), `primary_key=True`, `unique=True`,
// `db_index=True`, `Meta.indexes`, `unique_together`, `index_together` and `UniqueConstraint`s the
// keys and indexes, and `on_delete=` the foreign key's delete action.
import * as path from 'path';
import { pyClasses, pyStrings, type PyAssign } from './py-classes';
import { str } from './text-calls';
import { newTable, normaliseOnDelete, type Table } from './types';

/** Model classes with their pending foreign keys (targets are model names until every file is read). */
export interface DjangoTable extends Table { pendingFks: { column: string; target: string; onDelete?: string }[] }

const FIELD = /(?:^|\.)(\w*Field|ForeignKey|OneToOneField)$/;

export function djangoTables(file: string, text: string): DjangoTable[] {
  if (!/\bmodels\.Model\b|\bfrom\s+django\.db\b/.test(text)) return [];
  const app = appLabel(file);
  const out: DjangoTable[] = [];
  for (const c of pyClasses(text)) {
    if (!/\bModel\b/.test(c.bases) || c.name === 'Meta') continue;
    const metaValue = (n: string) => c.meta.find((a) => a.name === n)?.value;
    if (/^True$/.test(metaValue('abstract')?.trim() ?? '')) continue;
    const name = str(metaValue('db_table')) ?? `${app}_${c.name.toLowerCase()}`;
    const t: DjangoTable = Object.assign(newTable(name, { file, kind: 'django', start: c.start, end: c.end }, c.name), { pendingFks: [] as DjangoTable['pendingFks'] });
    for (const a of c.assigns) field(t, a, file);
    if (!t.primaryKey.length) { t.primaryKey = ['id']; t.columns.unshift({ name: 'id' }); }
    const colOf = (f: string) => t.columns.find((x) => x.field === f || x.name === f)?.name ?? f;
    for (const m of (metaValue('indexes') ?? '').matchAll(/Index\(([^)]*)\)/g)) {
      const fields = /fields\s*=\s*(\[[^\]]*\]|\([^)]*\))/.exec(m[1])?.[1];
      if (fields) t.indexes.push({ columns: pyStrings(fields).map((f) => colOf(f.replace(/^-/, ''))), unique: false });
    }
    for (const m of (metaValue('constraints') ?? '').matchAll(/UniqueConstraint\(([^)]*)\)/g)) {
      const fields = /fields\s*=\s*(\[[^\]]*\]|\([^)]*\))/.exec(m[1])?.[1];
      if (fields && !/condition\s*=/.test(m[1])) t.indexes.push({ columns: pyStrings(fields).map(colOf), unique: true });
    }
    for (const [opt, unique] of [['unique_together', true], ['index_together', false]] as const) {
      const v = metaValue(opt);
      if (!v) continue;
      const groups = [...v.matchAll(/[([]\s*((?:['"][^'"]*['"]\s*,?\s*)+)[)\]]/g)].map((g) => pyStrings(g[1]));
      for (const g of groups.length ? groups : [pyStrings(v)]) t.indexes.push({ columns: g.map(colOf), unique });
    }
    out.push(t);
  }
  return out;
}

function field(t: DjangoTable, a: PyAssign, file: string): void {
  const kind = a.call && FIELD.exec(a.call)?.[1];
  if (!kind || kind === 'ManyToManyField' || !a.args) return;
  const kw = (k: string) => a.args!.find((x) => x.kw === k)?.text;
  const fk = kind === 'ForeignKey' || kind === 'OneToOneField';
  const col = str(kw('db_column')) ?? (fk ? `${a.name}_id` : a.name);
  t.columns.push({ name: col, field: a.name, type: kw('choices') ? 'enum' : kind, origin: { file, kind: 'django', start: a.start, end: a.end } });
  if (kw('primary_key') === 'True') t.primaryKey = [col];
  if (kw('unique') === 'True' || kind === 'OneToOneField') t.indexes.push({ columns: [col], unique: true });
  // ForeignKey and SlugField are indexed by Django unless db_index=False.
  else if (kw('db_index') === 'True' || ((fk || kind === 'SlugField') && kw('db_index') !== 'False')) t.indexes.push({ columns: [col], unique: false });
  if (fk) {
    const target = kw('to') ?? a.args.find((x) => !x.kw)?.text ?? '';
    const onDelete = kw('on_delete')?.replace(/^models\./, '');
    t.pendingFks.push({ column: col, target: str(target) ?? target, onDelete });
  }
}

/** The Django app a models file belongs to: its folder (`shop/models.py`, `shop/models/order.py` → shop). */
function appLabel(file: string): string {
  const dir = path.dirname(file);
  return (path.basename(dir) === 'models' ? path.basename(path.dirname(dir)) : path.basename(dir)).toLowerCase();
}

/** Turns pending foreign keys into references once every model of the workspace is known. */
export function resolveDjangoFks(tables: DjangoTable[]): void {
  const byModel = new Map(tables.map((t) => [t.model!, t]));
  for (const t of tables) {
    for (const p of t.pendingFks) {
      const name = p.target === 'self' ? t.model! : /AUTH_USER_MODEL|get_user_model/.test(p.target) ? (byModel.has('User') ? 'User' : '') : p.target.split('.').pop()!;
      const target = byModel.get(name);
      const table = target?.name ?? (/AUTH_USER_MODEL|get_user_model/.test(p.target) ? 'auth_user' : undefined);
      if (!table) continue;
      t.foreignKeys.push({ columns: [p.column], table, refColumns: target?.primaryKey ?? ['id'], onDelete: normaliseOnDelete(p.onDelete) });
    }
  }
}
