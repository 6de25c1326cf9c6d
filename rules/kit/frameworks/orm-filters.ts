// The columns an ORM query filters on, per ORM, with the model or table the query runs against:
// Prisma `prisma.order.findMany({ where: { status } })`, Django `Order.objects.filter(status=...)`
// and `get_object_or_404(Order, ...)`, SQLAlchemy `query(Order).filter_by(status=...)` and
// `.filter(Order.status == s)` / `select(Order).where(...)`, Knex `knex('orders').where({ status })`,
// Sequelize `Order.findAll({ where: { status } })`. Chained filters count together and are read
// once, at the last filter of the chain. Lookups no B-tree index serves (`contains`, `icontains`,
// `endswith`, Prisma `contains`) and OR branches are left out.
import * as ir from '../model/ir';
import type { CodeModel } from '../model/model';

export type Orm = 'prisma' | 'django' | 'sqlalchemy' | 'knex' | 'sequelize' | 'drizzle' | 'typeorm';

export interface OrmFilter {
  call: ir.Call;
  orm: Orm;
  /** The ORM model as the code names it (Prisma accessor, Django/SQLAlchemy/Sequelize class) or, for Knex, the table. */
  target: string;
  /** Fields/columns in the query's AND, as written, with the node to report at. */
  columns: { name: string; node: ir.Node; /** A relation the filter goes through (Django `customer__email`): it bounds the rows but is not filtered on here. */ through?: boolean }[];
}

const PRISMA = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'updateMany', 'deleteMany', 'count', 'aggregate', 'groupBy']);
const DJANGO_FILTER = new Set(['filter', 'get', 'get_or_create', 'update_or_create']);
const DJANGO_PASS = new Set(['all', 'select_related', 'prefetch_related', 'order_by', 'only', 'defer', 'using', 'exclude', 'annotate', 'values', 'values_list', 'distinct', 'select_for_update']);
const SA_FILTER = new Set(['filter', 'filter_by', 'where']);
const KNEX_WHERE = new Set(['where', 'andWhere', 'whereIn']);
const SEQUELIZE = new Set(['findAll', 'findOne', 'count', 'findAndCountAll', 'update', 'destroy']);
const NO_BTREE = /^(?:contains|icontains|endswith|iendswith|iexact|regex|iregex|search|istartswith|trigram_similar|unaccent|not|isnull)$/;

export function ormFilterOf(c: ir.Call, model?: CodeModel): OrmFilter | undefined {
  const m = ir.calleeName(c);
  if (!m) return undefined;
  if (model && TYPEORM.test(m)) { const t = typeorm(model, c, m); if (t) return t; }
  if (PRISMA.has(m)) return prisma(c);
  if (DJANGO_FILTER.has(m) || m === 'get_object_or_404') return django(c) ?? (m === 'filter' ? sqlalchemy(c) : undefined);
  if (SA_FILTER.has(m) && KNEX_WHERE.has(m)) return sqlalchemy(c) ?? drizzle(c) ?? knex(c);
  if (SA_FILTER.has(m)) return sqlalchemy(c);
  if (KNEX_WHERE.has(m)) return knex(c);
  if (SEQUELIZE.has(m)) return sequelize(c);
  return undefined;
}

/** A later call of the chain filters too: that call reads the whole chain. */
function laterFilter(c: ir.Call, names: Set<string>): boolean {
  return ir.methodsChainedAfter(c).some((x) => names.has(x));
}

/** The calls of the chain below `c` (receivers first), `c` included, up to a call the predicate stops at. */
function chainCalls(c: ir.Call): ir.Call[] {
  const out: ir.Call[] = [c];
  let cur: ir.Node | undefined = ir.receiver(c);
  while (cur && out.length < ir.MAX_CHAIN) {
    cur = ir.unwrap(cur);
    if (cur.type === 'Call') { out.push(cur); cur = ir.receiver(cur); }
    else break;
  }
  return out;
}

function objectKeys(o: ir.ObjectLit, into: { name: string; node: ir.Node }[], prismaStyle: boolean): void {
  for (const p of o.props) {
    if (p.type !== 'Prop' || !p.key) continue;
    if (prismaStyle && p.key === 'AND') {
      const v = ir.unwrap(p.value);
      for (const e of v.type === 'ArrayLit' ? v.elements : [v]) if (ir.unwrap(e).type === 'ObjectLit') objectKeys(ir.unwrap(e) as ir.ObjectLit, into, true);
      continue;
    }
    if (/^(?:OR|NOT|AND|\$or|\$and)$/.test(p.key)) continue;
    const v = ir.unwrap(p.value);
    // TypeORM/Sequelize operators no B-tree index serves: Like('%x'), ILike, Not, Raw.
    if (v.type === 'Call' && v.callee.type === 'Ident' && /^(?:Like|ILike|Not|Raw|ArrayContains|ArrayContainedBy)$/.test(v.callee.name)) continue;
    if (prismaStyle && v.type === 'ObjectLit') {
      const keys = v.props.map((x) => (x.type === 'Prop' ? x.key : undefined));
      // Relation filters and text searches no index on this table's column serves.
      if (keys.some((k) => !k || /^(?:some|every|none|is|isNot|contains|endsWith|search|not|mode)$/.test(k))) continue;
    }
    into.push({ name: p.key, node: p.keyNode });
  }
}

function prisma(c: ir.Call): OrmFilter | undefined {
  const callee = c.callee;
  if (callee.type !== 'Member' || callee.object.type !== 'Member') return undefined;
  const arg = c.args[0] && ir.unwrap(c.args[0]);
  const where = arg?.type === 'ObjectLit' ? ir.propOf(arg, 'where') : undefined;
  const w = where && ir.unwrap(where.value);
  // Drizzle's relational queries: db.query.users.findFirst({ where: eq(users.email, x) }).
  if (w?.type === 'Call') return drizzleWhere(c, w);
  if (!w || w.type !== 'ObjectLit') return undefined;
  const columns: OrmFilter['columns'] = [];
  objectKeys(w, columns, true);
  return columns.length ? { call: c, orm: 'prisma', target: callee.object.prop, columns } : undefined;
}

function djangoKw(c: ir.Call, into: OrmFilter['columns']): void {
  // A relation filter names the relation's key column, which bounds the query if indexed.
  for (const a of c.args) {
    if (a.type !== 'Keyword' || a.name === 'defaults') continue;
    const parts = a.name.split('__');
    const lookup = parts.length > 1 ? parts[parts.length - 1] : 'exact';
    if (NO_BTREE.test(lookup)) continue;
    // `customer__email=...` filters another table through a join on the key `customer_id`, which
    // bounds this table's rows when it is indexed (Django indexes foreign keys).
    const through = parts.length > 2 || (parts.length === 2 && !/^(?:exact|in|gt|gte|lt|lte|range|startswith|date|year)$/.test(lookup));
    into.push({ name: parts[0], node: a, through });
  }
}

function django(c: ir.Call): OrmFilter | undefined {
  if (ir.calleeName(c) === 'get_object_or_404') {
    const model = ir.positional(c)[0];
    if (model?.type !== 'Ident') return undefined;
    const columns: OrmFilter['columns'] = [];
    djangoKw(c, columns);
    return columns.length ? { call: c, orm: 'django', target: model.name, columns } : undefined;
  }
  if (laterFilter(c, DJANGO_FILTER)) return undefined;
  const calls = chainCalls(c);
  const root = ir.receiver(calls[calls.length - 1]);
  if (root?.type !== 'Member' || root.prop !== 'objects' || root.object.type !== 'Ident') return undefined;
  const columns: OrmFilter['columns'] = [];
  for (const k of calls) {
    const m = ir.calleeName(k)!;
    if (DJANGO_FILTER.has(m)) djangoKw(k, columns);
    else if (!DJANGO_PASS.has(m)) return undefined;
  }
  return columns.length ? { call: c, orm: 'django', target: root.object.name, columns } : undefined;
}

function saExpr(n: ir.Node, into: { model: string; name: string; node: ir.Node }[]): void {
  const e = ir.unwrap(n);
  if (e.type === 'Call' && ir.calleeName(e) === 'and_') { for (const a of e.args) saExpr(a, into); return; }
  const col = (x: ir.Node) => { const u = ir.unwrap(x); return u.type === 'Member' && u.object.type === 'Ident' && /^[A-Z]/.test(u.object.name) ? u : undefined; };
  if (e.type === 'Binary' && /^(?:==|>|<|>=|<=)$/.test(e.op)) {
    const l = col(e.left);
    if (l && !col(e.right)) into.push({ model: (l.object as ir.Ident).name, name: l.prop, node: e });
  } else if (e.type === 'Call' && /^(?:in_|between)$/.test(ir.calleeName(e) ?? '')) {
    const r = ir.receiver(e);
    const l = r && col(r);
    if (l) into.push({ model: (l.object as ir.Ident).name, name: l.prop, node: e });
  }
}

function sqlalchemy(c: ir.Call): OrmFilter | undefined {
  if (laterFilter(c, SA_FILTER)) return undefined;
  const calls = chainCalls(c);
  const base = calls[calls.length - 1];
  const root = ir.receiver(base);
  // query(Model) / select(Model) / Model.query
  let model: string | undefined;
  const first = ir.positional(base)[0];
  if (/^(?:query|select)$/.test(ir.calleeName(base) ?? '') && first?.type === 'Ident') model = first.name;
  else if (root?.type === 'Member' && root.prop === 'query' && root.object.type === 'Ident') model = root.object.name;
  const uses: { model: string; name: string; node: ir.Node }[] = [];
  for (const k of calls) {
    const m = ir.calleeName(k);
    if (m === 'filter_by' && model) for (const a of k.args) { if (a.type === 'Keyword') uses.push({ model, name: a.name, node: a }); }
    else if (m === 'filter' || m === 'where') for (const a of k.args) saExpr(a, uses);
  }
  // A query built up in a variable (`query = query.filter(...)`) may be bounded by filters added
  // before: only chains that start at the query itself are read.
  const target = model;
  if (!target) return undefined;
  const columns = uses.filter((u) => u.model === target).map(({ name, node }) => ({ name, node }));
  return columns.length ? { call: c, orm: 'sqlalchemy', target, columns } : undefined;
}

/** Drizzle: `.where(and(eq(users.email, x), gt(users.age, 3)))` on a select/update/delete. */
function drizzle(c: ir.Call): OrmFilter | undefined {
  if (laterFilter(c, SA_FILTER) || !c.args[0]) return undefined;
  return drizzleWhere(c, ir.unwrap(c.args[0]));
}

const DRIZZLE_OPS = /^(?:eq|gt|gte|lt|lte|inArray|between)$/;

function drizzleWhere(c: ir.Call, expr: ir.Node): OrmFilter | undefined {
  const uses: { table: string; name: string; node: ir.Node }[] = [];
  const visit = (n: ir.Node) => {
    const e = ir.unwrap(n);
    if (e.type !== 'Call' || e.callee.type !== 'Ident') return;
    if (e.callee.name === 'and') { for (const a of e.args) visit(a); return; }
    const col = e.args[0] && ir.unwrap(e.args[0]);
    if (DRIZZLE_OPS.test(e.callee.name) && col?.type === 'Member' && col.object.type === 'Ident') uses.push({ table: col.object.name, name: col.prop, node: e });
  };
  visit(expr);
  const target = uses[0]?.table;
  const columns = uses.filter((u) => u.table === target).map(({ name, node }) => ({ name, node }));
  return target && columns.length ? { call: c, orm: 'drizzle', target, columns } : undefined;
}

const TYPEORM = /^(?:find|findOne|findOneOrFail|findAndCount|count|exist|exists|findBy|findOneBy|findOneByOrFail|countBy|existsBy)$/;

/** TypeORM repositories: `this.users.findOne({ where: { email } })`, `findOneBy({ email })`, `getRepository(User).find(...)`, `manager.findOneBy(User, {...})`. */
function typeorm(model: CodeModel, c: ir.Call, m: string): OrmFilter | undefined {
  const r = ir.receiver(c) && ir.unwrap(ir.receiver(c)!);
  let entity: string | undefined;
  let args = c.args;
  if (r?.type === 'Call' && ir.calleeName(r) === 'getRepository' && r.args[0]?.type === 'Ident') entity = r.args[0].name;
  else if (r && (r.type === 'Member' || r.type === 'Ident')) {
    const name = r.type === 'Member' ? r.prop : r.name;
    entity = model.cached(`typeorm.repo.${name}`, () => new RegExp(`\\b${name}\\s*[?!]?\\s*:\\s*(?:Repository|MongoRepository|TreeRepository)<\\s*(\\w+)\\s*>`).exec(model.text)?.[1]);
    if (!entity && /manager$/i.test(name) && c.args[0]?.type === 'Ident') { entity = (c.args[0] as ir.Ident).name; args = c.args.slice(1); }
  }
  if (!entity) return undefined;
  const a0 = args[0] && ir.unwrap(args[0]);
  if (a0?.type !== 'ObjectLit') return undefined;
  const where = m.endsWith('By') || m.endsWith('ByOrFail') ? a0 : ir.propOf(a0, 'where') && ir.unwrap(ir.propOf(a0, 'where')!.value);
  if (!where || where.type !== 'ObjectLit') return undefined;
  const columns: OrmFilter['columns'] = [];
  objectKeys(where, columns, false);
  return columns.length ? { call: c, orm: 'typeorm', target: entity, columns } : undefined;
}

function knex(c: ir.Call): OrmFilter | undefined {
  if (laterFilter(c, KNEX_WHERE)) return undefined;
  const calls = chainCalls(c);
  let table: string | undefined;
  const columns: OrmFilter['columns'] = [];
  for (const k of calls) {
    const m = ir.calleeName(k);
    const a0 = k.args[0] && ir.unwrap(k.args[0]);
    if (KNEX_WHERE.has(m ?? '')) {
      if (a0?.type === 'ObjectLit') objectKeys(a0, columns, false);
      else if (a0?.type === 'Str' && k.args.length >= 2) columns.push({ name: a0.value.replace(/^.*\./, ''), node: a0 });
    } else if (a0?.type === 'Str' && (k.callee.type === 'Ident' || /^(?:from|table|into)$/.test(m ?? ''))) table = a0.value;
  }
  return table && columns.length ? { call: c, orm: 'knex', target: table, columns } : undefined;
}

function sequelize(c: ir.Call): OrmFilter | undefined {
  const r = ir.receiver(c);
  if (r?.type !== 'Ident' || !/^[A-Z]/.test(r.name)) return undefined;
  const arg = c.args[ir.calleeName(c) === 'update' ? 1 : 0];
  const o = arg && ir.unwrap(arg);
  const where = o?.type === 'ObjectLit' ? ir.propOf(o, 'where') : undefined;
  const w = where && ir.unwrap(where.value);
  if (w?.type !== 'ObjectLit') return undefined;
  const columns: OrmFilter['columns'] = [];
  objectKeys(w, columns, false);
  return columns.length ? { call: c, orm: 'sequelize', target: r.name, columns } : undefined;
}
