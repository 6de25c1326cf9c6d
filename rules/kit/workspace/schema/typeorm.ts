// Tables from TypeORM entities: `@Entity('name')` classes (default name: the class name in
// snake_case), `@Column`/`@PrimaryGeneratedColumn`/`@PrimaryColumn` properties (`name:` renames the
// column), `unique: true`, property and class `@Index`/`@Unique`, and `@ManyToOne(..., { onDelete })`
// with `@JoinColumn({ name })` (else `<property>Id`) as foreign keys.
import { mask, matching } from '../../frameworks/router-mounts';
import { propsOf } from './js-objects';
import { str, strs } from './text-calls';
import { newTable, normaliseOnDelete, type Table } from './types';

export function typeormTables(file: string, text: string): Table[] {
  if (!/@Entity\s*\(/.test(text)) return [];
  const code = mask(text);
  const out: Table[] = [];
  const pending: { t: Table; col: string; target: string; onDelete?: string }[] = [];
  for (const m of code.matchAll(/@Entity\s*\(/g)) {
    const argsEnd = matching(code, m.index! + m[0].length - 1);
    const cls = /^[\s\S]*?\bclass\s+(\w+)[^{]*\{/.exec(code.slice(argsEnd));
    if (!cls) continue;
    const decorators = text.slice(m.index!, argsEnd + cls[0].indexOf('class'));
    const entityArg = text.slice(m.index! + m[0].length, argsEnd).trim();
    const open = argsEnd + cls[0].length - 1;
    const close = matching(code, open);
    if (close === -1) continue;
    const name = str(entityArg) ?? str(propsOf(entityArg).get('name')) ?? cls[1].replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    const t = newTable(name, { file, kind: 'typeorm', start: m.index!, end: close + 1 }, cls[1]);
    const body = text.slice(open + 1, close);
    const bodyCode = code.slice(open + 1, close);
    // Each member: its decorators, then `name[?!]: Type`.
    for (const p of bodyCode.matchAll(/((?:@\w+\s*\((?:[^()]|\([^()]*\))*\)\s*)+)(?:(?:public|private|protected|readonly)\s+)*(\w+)[?!]?\s*:\s*(\w+)?/g)) {
      const decs = body.slice(p.index!, p.index! + p[1].length);
      const prop = p[2];
      const opts = (d: string) => propsOf(/\{[\s\S]*\}/.exec(new RegExp(`@${d}\\s*\\(([\\s\\S]*?)\\)\\s*(?:@|$)`).exec(decs + '@')?.[1] ?? '')?.[0] ?? '');
      if (/@(?:ManyToOne|OneToOne)\s*\(/.test(decs)) {
        const target = /@(?:ManyToOne|OneToOne)\s*\(\s*\(\s*\)\s*=>\s*(\w+)/.exec(decs)?.[1];
        const join = str(opts('JoinColumn').get('name'));
        if (target && /@Index\s*\(/.test(decs)) t.indexes.push({ columns: [str(opts('JoinColumn').get('name')) ?? `${prop}Id`], unique: false });
        if (target && (/@JoinColumn/.test(decs) || /@ManyToOne/.test(decs))) pending.push({ t, col: join ?? `${prop}Id`, target, onDelete: str(opts(/@ManyToOne/.test(decs) ? 'ManyToOne' : 'OneToOne').get('onDelete')) });
        continue;
      }
      const kind = /@(PrimaryGeneratedColumn|PrimaryColumn|Column|CreateDateColumn|UpdateDateColumn|DeleteDateColumn|ObjectIdColumn)\b/.exec(decs)?.[1];
      if (!kind) continue;
      const o = opts(kind);
      const col = str(o.get('name')) ?? prop;
      t.columns.push({ name: col, field: prop, type: o.get('enum') ? 'enum' : str(o.get('type')) ?? str(/@\w*Column\s*\(\s*(['"][^'"]*['"])/.exec(decs)?.[1]) ?? p[3], origin: { file, kind: 'typeorm', start: open + 1 + p.index!, end: open + 1 + p.index! + p[0].length } });
      if (kind.startsWith('Primary')) t.primaryKey.push(col);
      if (o.get('unique') === 'true') t.indexes.push({ columns: [col], unique: true });
      const idx = /@Index\s*\(([^)]*)\)/.exec(decs);
      if (idx) t.indexes.push({ columns: [col], unique: /unique\s*:\s*true/.test(idx[1]) });
    }
    // Class-level @Index(['a', 'b']) / @Index('name', ['a', 'b'], { unique }) and @Unique([...]).
    for (const d of decorators.matchAll(/@(Index|Unique)\s*\(([^)]*)\)/g)) {
      const list = /\[[^\]]*\]/.exec(d[2])?.[0];
      const cols = strs(list);
      if (cols.length) t.indexes.push({ columns: cols.map((f) => t.columns.find((c) => c.field === f)?.name ?? f), unique: d[1] === 'Unique' || /unique\s*:\s*true/.test(d[2]) });
    }
    out.push(t);
  }
  for (const p of pending) {
    const target = out.find((x) => x.model === p.target);
    const existing = p.t.columns.find((c) => c.name === p.col || c.field === p.col);
    if (!existing) p.t.columns.push({ name: p.col, field: p.col });
    p.t.foreignKeys.push({ columns: [existing?.name ?? p.col], table: target?.name ?? p.target.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(), refColumns: target?.primaryKey.length ? [target.primaryKey[0]] : ['id'], onDelete: normaliseOnDelete(p.onDelete) });
  }
  return out;
}
