// Tables from Knex migrations: the `up` of each migration file, in file-name order, read for
// `createTable`/`alterTable`/`table` callbacks (`t.increments`, column builders chained with
// `.primary()`, `.unique()`, `.index()`, `.references(...).inTable(...).onDelete(...)`,
// `t.index([...])`, `t.unique([...])`, `t.primary([...])`, `t.foreign(...)`) and `dropTable`.
import { mask } from '../../frameworks/router-mounts';
import { str, strs, textCalls } from './text-calls';
import { key, newTable, normaliseOnDelete, type Table } from './types';

export function isKnexMigration(text: string): boolean {
  return /\b(?:exports\.up|export\s+(?:async\s+)?function\s+up|export\s+const\s+up|up\s*:\s*(?:async\s*)?(?:function|\())/.test(text) && /\.schema\b[\s\S]*\.(?:createTable|alterTable|table)\s*\(/.test(text);
}

export function applyKnex(tables: Map<string, Table>, file: string, text: string): void {
  const code = mask(text);
  // The up migration only: its body runs from `up` to `down` (or the end).
  const upAt = /\bup\b/.exec(code)?.index ?? 0;
  const downAt = code.slice(upAt).search(/\b(?:exports\.down|export\s+(?:async\s+)?function\s+down|export\s+const\s+down|down\s*:)/);
  const end = downAt === -1 ? code.length : upAt + downAt;
  for (const c of textCalls(text, code, '\\.(?:createTable(?:IfNotExists)?|alterTable|table|dropTable(?:IfExists)?)', upAt, end)) {
    const name = str(c.args[0]);
    if (!name) continue;
    if (/dropTable/.test(c.name)) { tables.delete(key(name)); continue; }
    let t = tables.get(key(name));
    if (/createTable/.test(c.name)) { t = newTable(name, { file, kind: 'knex', start: c.start, end: c.close + 1 }); tables.set(key(name), t); }
    if (!t) continue;
    const cb = c.args[1] ?? '';
    const param = /^(?:async\s+)?(?:function\s*\w*\s*)?\(?\s*(\w+)/.exec(cb)?.[1];
    if (!param) continue;
    // Statements of the callback: `t.string('email').notNullable().unique()` up to the next `param.`.
    const body = text.slice(c.open + 1, c.close);
    const bodyCode = code.slice(c.open + 1, c.close);
    const starts = [...bodyCode.matchAll(new RegExp(`\\b${param}\\s*\\.`, 'g'))].map((m) => m.index!);
    for (const [i, at] of starts.entries()) {
      const st = { code: bodyCode.slice(at, starts[i + 1] ?? bodyCode.length), at };
      const stText = body.slice(st.at, st.at + st.code.length);
      const head = new RegExp(`^${param}\\s*\\.\\s*(\\w+)\\s*\\(`).exec(st.code);
      if (!head) continue;
      const calls = textCalls(stText, st.code, '\\.\\s*\\w+');
      const first = calls[0];
      const arg0 = first?.args[0];
      const chained = (m: string) => calls.find((x) => x.name.replace(/[.\s]/g, '') === m);
      const method = head[1];
      if (method === 'index' || method === 'unique' || method === 'primary') {
        const cols = strs(arg0);
        if (method === 'primary') t.primaryKey = cols;
        else t.indexes.push({ columns: cols, unique: method === 'unique' });
        continue;
      }
      if (method === 'foreign') {
        const refs = chained('references');
        const inTable = str(chained('inTable')?.args[0]);
        const ref = str(refs?.args[0]) ?? '';
        const table = inTable ?? (ref.includes('.') ? ref.slice(0, ref.lastIndexOf('.')) : undefined);
        if (table) t.foreignKeys.push({ columns: strs(arg0), table, refColumns: [ref.slice(ref.lastIndexOf('.') + 1)], onDelete: normaliseOnDelete(str(chained('onDelete')?.args[0])) });
        continue;
      }
      if (/^(?:dropColumn|dropIndex|renameColumn|timestamps|dropForeign|dropUnique|dropPrimary)$/.test(method)) continue;
      const col = str(arg0);
      if (!col) continue;
      t.columns.push({ name: col, type: method });
      if (/^(?:increments|bigIncrements)$/.test(method) || chained('primary')) t.primaryKey = [col];
      if (chained('unique')) t.indexes.push({ columns: [col], unique: true });
      if (chained('index')) t.indexes.push({ columns: [col], unique: false });
      const refs = chained('references');
      if (refs) {
        const ref = str(refs.args[0]) ?? '';
        const table = str(chained('inTable')?.args[0]) ?? (ref.includes('.') ? ref.slice(0, ref.lastIndexOf('.')) : undefined);
        if (table) t.foreignKeys.push({ columns: [col], table, refColumns: [ref.slice(ref.lastIndexOf('.') + 1)], onDelete: normaliseOnDelete(str(chained('onDelete')?.args[0])) });
      }
    }
  }
}
