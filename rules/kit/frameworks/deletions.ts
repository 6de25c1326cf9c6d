// Statements that delete or rewrite rows of a table, per ORM and driver, with the table as the
// code names it: raw SQL `DELETE FROM t` / `UPDATE t` (parsed), Prisma `prisma.t.delete/deleteMany/
// update/updateMany`, Django `Model.objects.filter(...).delete()/update()` and `obj.delete()`,
// SQLAlchemy `session.delete(obj)` and `delete(Model)`, Knex `knex('t')...del()`, Sequelize
// `Model.destroy()/update()`.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';
import { sqlSink, type SqlSink } from './sql';
import { sinkSqlText, sqlFilters } from './sql-filters';

export interface RowChange {
  call: ir.Call;
  kind: 'delete' | 'update';
  orm: 'sql' | 'prisma' | 'django' | 'sqlalchemy' | 'knex' | 'sequelize';
  /** The table (SQL, Knex) or model (Prisma accessor, Django/SQLAlchemy/Sequelize class) as written; for `obj.delete()` the object's name. */
  target: string;
  /** The target is the name of a variable holding a row (`user.delete()`), not a model. */
  instance?: boolean;
  sink?: SqlSink;
}

export function rowChangeOf(model: CodeModel, c: ir.Call): RowChange | undefined {
  const m = ir.calleeName(c);
  if (!m) return undefined;
  const sink = sqlSink(model, c);
  if (sink) {
    const text = sinkSqlText(sink);
    const st = text && /^\s*(?:delete|update|with)\b/i.test(text) ? sqlFilters(text)?.find((s) => s.kind !== 'select') : undefined;
    return st && st.tables[0] ? { call: c, kind: st.kind === 'delete' ? 'delete' : 'update', orm: 'sql', target: st.tables[0], sink } : undefined;
  }
  const kind = /^(?:delete|deleteMany|destroy|del)$/.test(m) ? 'delete' : /^(?:update|updateMany)$/.test(m) ? 'update' : undefined;
  if (!kind && m !== 'delete') return undefined;
  const r = ir.receiver(c);
  // Prisma: x.user.delete({...}).
  if (r?.type === 'Member' && (m === 'delete' || m === 'deleteMany' || m === 'update' || m === 'updateMany') && c.args[0] && ir.unwrap(c.args[0]).type === 'ObjectLit' && model.lang === 'js') {
    return { call: c, kind: kind!, orm: 'prisma', target: r.prop };
  }
  // Django: Model.objects....delete() / .update(...).
  let cur: ir.Node | undefined = r && ir.unwrap(r);
  for (let i = 0; cur && cur.type === 'Call' && i < ir.MAX_CHAIN; i++) cur = ir.receiver(cur) && ir.unwrap(ir.receiver(cur)!);
  if (cur?.type === 'Member' && cur.prop === 'objects' && cur.object.type === 'Ident') return { call: c, kind: kind!, orm: 'django', target: cur.object.name };
  // Flask-SQLAlchemy: Model.query.filter_by(...).delete() / .update({...}).
  if (cur?.type === 'Member' && cur.prop === 'query' && cur.object.type === 'Ident' && /^[A-Z]/.test(cur.object.name) && cur !== r && model.lang === 'py') return { call: c, kind: kind!, orm: 'sqlalchemy', target: cur.object.name };
  // Knex: knex('users').where(...).del().
  if (cur?.type === 'Ident' && (m === 'del' || m === 'delete' || m === 'update')) {
    const base = firstCall(r!);
    const a0 = base?.args[0] && ir.unwrap(base.args[0]);
    if (base && base.callee.type === 'Ident' && a0?.type === 'Str') return { call: c, kind: kind!, orm: 'knex', target: a0.value };
  }
  // Sequelize: User.destroy({ where }).
  if (r?.type === 'Ident' && /^[A-Z]/.test(r.name) && (m === 'destroy' || m === 'update') && model.lang === 'js') return { call: c, kind: kind!, orm: 'sequelize', target: r.name };
  // SQLAlchemy: session.delete(user); session.execute(delete(User).where(...)).
  if (model.lang === 'py' && m === 'delete' && r && /session|db$/i.test(ir.dottedName(r) ?? '') && c.args.length === 1) {
    const a = ir.unwrap(c.args[0]);
    if (a.type === 'Ident') return { call: c, kind: 'delete', orm: 'sqlalchemy', target: a.name, instance: true };
  }
  if (model.lang === 'py' && m === 'delete' && c.callee.type === 'Ident' && c.args[0] && ir.unwrap(c.args[0]).type === 'Ident') return { call: c, kind: 'delete', orm: 'sqlalchemy', target: (ir.unwrap(c.args[0]) as ir.Ident).name };
  // Django instance: user.delete(), request.user.delete().
  if (model.lang === 'py' && m === 'delete' && !c.args.length && r) {
    const name = ir.dottedName(r);
    if (name && /^[\w.]+$/.test(name)) return { call: c, kind: 'delete', orm: 'django', target: name, instance: true };
  }
  return undefined;
}

function firstCall(n: ir.Node): ir.Call | undefined {
  let cur: ir.Node = ir.unwrap(n);
  let last: ir.Call | undefined;
  for (let i = 0; cur.type === 'Call' && i < ir.MAX_CHAIN; i++) {
    last = cur;
    const r = ir.receiver(cur);
    if (!r) break;
    cur = ir.unwrap(r);
  }
  return last;
}
