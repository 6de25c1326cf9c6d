import * as path from 'path';
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { defineRule, format } from '../kit/rule';
import { sqlSink } from '../kit/frameworks/sql';
import { sinkSqlText, sqlFilters } from '../kit/frameworks/sql-filters';
import { ormFilterOf, type Orm } from '../kit/frameworks/orm-filters';
import { columnNamed, isBooleanColumn, isIndexedLead, key, hasSchema, schemaFor, tableNamed, type Schema, type Table } from '../kit/workspace/schema';
import { addIndexFix } from './missing-index.fix';

const messages = {
  filter: '{table}.{column} is filtered on here, but no index of {table} ({where}) starts with it: the query reads every row, instant on test data and a full scan on a production-sized table; add an index on {column}',
  join: '{table} is joined on {table}.{column} here, but no index of {table} ({where}) starts with it: every join scans the table; add an index on {column}',
};

/** Folders of code that runs once: migrations (Django, Alembic, Knex, Prisma seeds), seeds and maintenance scripts. */
const ONE_OFF = /(?:^|\/)(?:migrations?|alembic|seeds?|seeders|scripts)\//i;

/** Which kind of schema source declares the tables an ORM's models name. */
const ORIGIN: Record<Orm, string[] | undefined> = { prisma: ['prisma'], django: ['django'], sqlalchemy: ['sqlalchemy'], drizzle: ['drizzle'], typeorm: ['typeorm'], knex: undefined, sequelize: undefined };

export default defineRule({
  id: 'missing-index',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  needsWorkspace: true,
  triggers: /\bwhere\b|\bWHERE\b|\bJOIN\b|\bjoin\b|\.filter(?:_by)?\s*\(|\.get\s*\(|get_object_or_404|\.find(?:Many|First|All|One)\b|\.count\s*\(|whereIn|\.destroy\s*\(|\.update(?:Many)?\s*\(|\.deleteMany\s*\(/,
  docs: {
    summary: 'A query filters or joins on a column that no index of the workspace schema starts with',
    why: 'Assistants write the query and the table, rarely the index: `WHERE status = $1` on 100 test rows is instant, and on 5 million production rows it is a sequential scan of the whole table on every request, holding a connection and CPU while it reads. The rule reads the schema from the workspace (SQL migrations and schema.sql, Knex migrations, Alembic revisions, schema.prisma, Django models, SQLAlchemy/SQLModel models, TypeORM entities, Drizzle tables, Sequelize models) and reports a query whose WHERE (`=`, `IN`, ranges; Prisma `where`, Django `filter`/`get`, SQLAlchemy `filter_by`/`filter`/`where`, Knex `where`, Sequelize `where`, TypeORM `find`/`findOneBy`, Drizzle `where(eq(...))`) or JOIN uses a column no index, primary key or unique constraint starts with. A query already bounded by an indexed column in the same `AND` (or through an indexed foreign key), a table the schema does not define, yes/no and enum columns (a handful of values), lookups no B-tree index serves (`contains`, `icontains`, `Like(\'%x\')`), migrations, seeds and scripts, and a workspace without a schema are not reported.',
    fix: 'Add index: `@@index([column])` in the Prisma model, `db_index=True` on the Django field (then run `makemigrations`), `index=True` on the SQLAlchemy column (then generate the Alembic revision), a new Knex migration or Alembic revision (chained after the head) where the table lives in those, or, for a schema kept in SQL migrations, a new migration in the workspace\'s migrations folder and naming scheme with `CREATE INDEX CONCURRENTLY IF NOT EXISTS` (PostgreSQL builds it without blocking writes; a runner that wraps each migration in a transaction must run this one outside it) or `CREATE INDEX` for MySQL. Marked unsafe: the migration runs on deploy and builds the index over the whole table. TypeORM, Drizzle and Sequelize keep indexes in the model beside generated migrations: the finding says where to add it by hand.',
    examples: {
      js: {
        workspace: { 'db/migrations/001_orders.sql': 'CREATE TABLE orders (\n  id serial PRIMARY KEY,\n  customer_id int NOT NULL,\n  status text NOT NULL\n);\n' },
        bad: "const { rows } = await pool.query('SELECT id FROM orders WHERE status = $1', [status]);\n",
        good: "const { rows } = await pool.query('SELECT id FROM orders WHERE id = $1 AND status = $2', [id, status]);\n",
      },
      py: {
        workspace: { 'shop/models.py': 'from django.db import models\n\n\nclass Order(models.Model):\n    status = models.CharField(max_length=20)\n    reference = models.CharField(max_length=40, unique=True)\n' },
        bad: "from shop.models import Order\n\npending = Order.objects.filter(status=\"pending\")\n",
        good: "from shop.models import Order\n\norder = Order.objects.get(reference=ref)\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    if (!hasSchema(model)) return {};
    // Data migrations and one-off scripts scan a table once, on purpose.
    const rel = model.workspace ? path.relative(model.workspace.root, model.file).replace(/\\/g, '/') : model.file;
    if (ONE_OFF.test(rel)) return {};
    let schema: Schema | undefined | null = null;
    const getSchema = () => (schema === null ? (schema = schemaFor(model)) : schema);
    const flag = (node: ir.Node, t: Table, column: string, kind: 'filter' | 'join', s: Schema) => {
      // Drizzle, Sequelize and TypeORM keep indexes in the model's options, beside generated migrations: by hand.
      const noFix = t.origin.kind === 'drizzle' || t.origin.kind === 'sequelize' || t.origin.kind === 'typeorm' ? `add the index to the ${t.origin.kind === 'drizzle' ? 'table\'s extra config' : t.origin.kind === 'typeorm' ? 'entity (@Index)' : 'model\'s indexes option'} and generate the migration` : false;
      report({ node, message: format(messages[kind], { table: t.name, column, where: schemaWhere(model, t, s) }), data: { table: t.name, column }, noFix });
    };
    return {
      Call(c) {
        const orm = ormFilterOf(c, model);
        if (orm) {
          const s = getSchema();
          if (!s) return;
          const t = ormTable(s, orm.orm, orm.target);
          if (!t) return;
          const cols = orm.columns.map((x) => ({ ...x, col: x.name === 'pk' ? t.primaryKey[0] : columnNamed(t, x.name) })).filter((x) => x.col);
          if (!cols.length || cols.some((x) => isIndexedLead(t, x.col!))) return;
          const first = cols.find((x) => !x.through && !isBooleanColumn(t.columns.find((c) => c.name === x.col)));
          if (first) flag(first.node, t, first.col!, 'filter', s);
          return;
        }
        const sink = sqlSink(model, c);
        if (!sink) return;
        const text = sinkSqlText(sink);
        // A fragment sink (SQLAlchemy text(), whereRaw) counts when it holds a whole statement.
        if (!text || !/\b(?:where|join)\b/i.test(text) || (sink.fragment && !/^\s*\(?\s*(?:select|update|delete|with)\b/i.test(text))) return;
        const s = getSchema();
        if (!s) return;
        for (const st of sqlFilters(text) ?? []) {
          const uses = st.where.map((u) => resolve(s, st.tables, u.table, u.column)).filter((u): u is { t: Table; column: string } => !!u);
          const first = uses.find((u) => !isBooleanColumn(u.t.columns.find((c) => c.name === u.column)));
          if (first && !uses.some((u) => isIndexedLead(u.t, u.column))) { flag(sink.sqlArg, first.t, first.column, 'filter', s); return; }
          for (const j of st.joins) {
            const u = resolve(s, st.tables, j.table, j.column);
            if (u && !isIndexedLead(u.t, u.column)) { flag(sink.sqlArg, u.t, u.column, 'join', s); return; }
          }
        }
      },
    };
  },
  fix: addIndexFix,
});

function ormTable(s: Schema, orm: Orm, target: string): Table | undefined {
  const kinds = ORIGIN[orm];
  if (kinds) return s.tables.find((t) => t.model && key(t.model) === key(target) && kinds.includes(t.origin.kind));
  return tableNamed(s, target) ?? (orm === 'sequelize' ? tableNamed(s, `${target}s`) : undefined);
}

function resolve(s: Schema, tables: string[], table: string | undefined, column: string): { t: Table; column: string } | undefined {
  for (const name of table ? [table] : tables) {
    const t = s.tables.find((x) => key(x.name) === key(name));
    const col = t && columnNamed(t, column);
    if (t && col) return { t, column: col };
  }
  return undefined;
}

/** Where the table is declared, relative to the workspace: `prisma/schema.prisma`. */
function schemaWhere(model: CodeModel, t: Table, s: Schema): string {
  void s;
  const root = model.workspace?.root;
  return (root ? path.relative(root, t.origin.file) : path.basename(t.origin.file)).replace(/\\/g, '/');
}
