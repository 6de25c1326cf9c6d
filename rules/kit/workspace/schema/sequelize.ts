// Tables from Sequelize models: `sequelize.define('User', { attrs }, { options })` and
// `class User extends Model {}` + `User.init({ attrs }, { sequelize, tableName, indexes })`.
// Attributes give columns (`field`), `primaryKey`, `unique`, `references` + `onDelete`; options
// give the table name (else Sequelize's plural of the model name) and `indexes`.
import { mask } from '../../frameworks/router-mounts';
import { objectProps, propsOf } from './js-objects';
import { str, strs, textCalls } from './text-calls';
import { newTable, normaliseOnDelete, type Table } from './types';

export function sequelizeTables(file: string, text: string): Table[] {
  if (!/\bsequelize\b/i.test(text) || !/\.(?:define|init)\s*\(/.test(text)) return [];
  const code = mask(text);
  const out: Table[] = [];
  for (const c of textCalls(text, code, '[\\w$]+\\s*\\.\\s*(?:define|init)')) {
    const isDefine = /define$/.test(c.name);
    const owner = /^([\w$]+)/.exec(c.name)![1];
    const attrsArg = isDefine ? 1 : 0;
    const modelName = isDefine ? str(c.args[0]) : owner;
    if (!modelName || !(c.args[attrsArg] ?? '').startsWith('{')) continue;
    const variable = isDefine ? /(?:const|let|var)\s+([\w$]+)\s*=\s*(?:await\s+)?$/.exec(code.slice(Math.max(0, c.start - 80), c.start))?.[1] : owner;
    const opts = propsOf(c.args[attrsArg + 1] ?? '');
    if (!isDefine && !opts.has('sequelize')) continue;
    const underscored = opts.get('underscored') === 'true';
    const name = str(opts.get('tableName')) ?? (opts.get('freezeTableName') === 'true' ? modelName : plural(modelName));
    const t = newTable(name, { file, kind: 'sequelize', start: c.start, end: c.close + 1 }, variable ?? modelName);
    const attrsOpen = code.indexOf('{', c.open);
    for (const p of objectProps(text, code, attrsOpen)) {
      const a = p.value.trim().startsWith('{') ? propsOf(p.value) : new Map([['type', p.value]]);
      const col = str(a.get('field')) ?? (underscored ? p.key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() : p.key);
      t.columns.push({ name: col, field: p.key, type: /DataTypes\.(\w+)|Sequelize\.(\w+)/.exec(a.get('type') ?? '')?.slice(1).find(Boolean), origin: { file, kind: 'sequelize', start: p.start, end: p.end } });
      if (a.get('primaryKey') === 'true') t.primaryKey.push(col);
      if (a.get('unique') === 'true' || str(a.get('unique'))) t.indexes.push({ columns: [col], unique: true });
      const ref = a.get('references') ? propsOf(a.get('references')!) : undefined;
      const table = ref && (str(ref.get('model')) ?? ref.get('model'));
      if (table) t.foreignKeys.push({ columns: [col], table, refColumns: [str(ref!.get('key')) ?? 'id'], onDelete: normaliseOnDelete(str(a.get('onDelete'))) });
    }
    if (!t.primaryKey.length) { t.primaryKey = ['id']; t.columns.unshift({ name: 'id' }); }
    const idx = opts.get('indexes') ?? '';
    for (const m of idx.matchAll(/\{[^{}]*\}/g)) {
      const o = propsOf(m[0]);
      const cols = strs(o.get('fields'));
      if (cols.length) t.indexes.push({ columns: cols.map((f) => t.columns.find((x) => x.field === f)?.name ?? f), unique: o.get('unique') === 'true' });
    }
    out.push(t);
  }
  return out;
}

/** Sequelize's default table name: the model name in the plural (`User` → `Users`, `Category` → `Categories`). */
function plural(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return name.slice(0, -1) + 'ies';
  if (/(?:s|x|z|ch|sh)$/i.test(name)) return name + 'es';
  return name + 's';
}
