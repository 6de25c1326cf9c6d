// Tables from a Prisma schema: each `model` block is a table (`@@map` renames it), scalar fields
// are columns (`@map` renames them), `@id`/`@@id` the primary key, `@unique`/`@@unique` and
// `@@index` indexes in their column order, and `@relation(fields:, references:, onDelete:)` the
// foreign keys, with Prisma's default referential action when none is written (Restrict for a
// required relation, SetNull for an optional one).
import { newTable, normaliseOnDelete, type Origin, type Table } from './types';

interface Field { name: string; type: string; optional: boolean; attrs: string; start: number; end: number }

/** The tables of one schema.prisma; throws on a model block that is not closed. */
export function prismaTables(file: string, text: string): Table[] {
  const code = text.replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length));
  const blocks: { name: string; body: string; bodyStart: number; start: number; end: number }[] = [];
  for (const m of code.matchAll(/^[ \t]*model\s+(\w+)\s*\{/gm)) {
    const open = m.index! + m[0].length;
    const close = closingBrace(code, open);
    if (close === -1) throw new Error(`model ${m[1]} has no closing brace`);
    blocks.push({ name: m[1], body: code.slice(open, close), bodyStart: open, start: m.index!, end: close + 1 });
  }
  const models = new Set(blocks.map((b) => b.name));
  const enums = new Set([...code.matchAll(/^[ \t]*enum\s+(\w+)\s*\{/gm)].map((m) => m[1]));
  const tables: Table[] = [];
  for (const b of blocks) {
    const tableName = mapped(b.body, '@@map') ?? b.name;
    const origin: Origin = { file, kind: 'prisma', start: b.start, end: b.end };
    const t = newTable(tableName, origin, b.name);
    const fields: Field[] = [];
    let offset = b.bodyStart;
    for (const line of b.body.split('\n')) {
      const f = /^(\s*)(\w+)\s+(\w+)(\[\]|\?)?(.*)$/.exec(line);
      if (f && !line.trim().startsWith('@@')) fields.push({ name: f[2], type: f[3], optional: f[4] === '?', attrs: f[5], start: offset + f[1].length, end: offset + line.length });
      offset += line.length + 1;
    }
    const column = (field: string) => fields.find((f) => f.name === field);
    const colName = (field: string) => { const f = column(field); return (f && mapped(f.attrs, '@map')) ?? field; };
    for (const f of fields) {
      if (models.has(f.type)) {
        const rel = /@relation\(([^)]*)\)/.exec(f.attrs)?.[1];
        const local = rel && /fields\s*:\s*\[([^\]]*)\]/.exec(rel)?.[1];
        if (!rel || !local) continue;
        const refs = /references\s*:\s*\[([^\]]*)\]/.exec(rel)?.[1] ?? '';
        const target = blocks.find((x) => x.name === f.type)!;
        const targetTable = mapped(target.body, '@@map') ?? target.name;
        const action = /onDelete\s*:\s*(\w+)/.exec(rel)?.[1];
        const cols = list(local);
        const optional = cols.every((c) => column(c)?.optional);
        t.foreignKeys.push({ columns: cols.map(colName), table: targetTable, refColumns: list(refs), onDelete: action ? normaliseOnDelete(action.replace(/([a-z])([A-Z])/g, '$1 $2')) : optional ? 'set null' : 'restrict' });
        continue;
      }
      // A list of scalars or an enum is still a column; a relation list (`posts Post[]`) was skipped above.
      t.columns.push({ name: colName(f.name), field: f.name, type: enums.has(f.type) ? 'enum' : f.type, origin: { file, kind: 'prisma', start: f.start, end: f.end } });
      if (/@id\b/.test(f.attrs)) t.primaryKey = [colName(f.name)];
      if (/@unique\b/.test(f.attrs)) t.indexes.push({ columns: [colName(f.name)], unique: true });
    }
    for (const m of b.body.matchAll(/@@(id|unique|index)\s*\(\s*(?:fields\s*:\s*)?\[([^\]]*)\]/g)) {
      const cols = list(m[2]).map(colName);
      if (m[1] === 'id') t.primaryKey = cols;
      else t.indexes.push({ columns: cols, unique: m[1] === 'unique' });
    }
    tables.push(t);
  }
  return tables;
}

/** The name given by `@map("x")` / `@@map(name: "x")`. */
function mapped(text: string, attr: '@map' | '@@map'): string | undefined {
  const re = attr === '@map' ? /(?<!@)@map\(\s*(?:name\s*:\s*)?"([^"]+)"/ : /@@map\(\s*(?:name\s*:\s*)?"([^"]+)"/;
  return re.exec(text)?.[1];
}

/** `a, b(sort: Desc)` → ['a', 'b']. */
function list(text: string): string[] {
  return text.split(',').map((s) => s.trim().replace(/\(.*$/, '')).filter(Boolean);
}

function closingBrace(code: string, from: number): number {
  let depth = 1;
  for (let i = from; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
