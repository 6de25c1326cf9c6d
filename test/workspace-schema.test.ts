// The schema part of the workspace model: every source that declares tables (SQL migrations in
// PostgreSQL and MySQL dialects, schema.prisma, Django and SQLAlchemy/SQLModel models) read into
// tables, keys, indexes in column order and foreign keys with their delete action; a file that
// cannot be read is skipped and named.
import * as assert from 'assert';
import * as path from 'path';
import { WorkspaceIndexes } from '../server/src/workspaceIndex';
import { schemaOf, tableNamed, isIndexedLead } from '../rules/kit/workspace/schema';
import { engine } from './harness/fixtures';

function ws(files: Record<string, string>, root = '/ws') {
  const map = new Map(Object.entries(files).map(([k, v]) => [path.join(root, k), v]));
  const findFiles = (pred: (rel: string) => boolean) => [...map.keys()].filter((p) => pred(path.relative(root, p)));
  return new WorkspaceIndexes().of({ root, readFile: (p: string) => map.get(p), findFiles });
}

describe('workspace schema model', () => {
  it('reads PostgreSQL migrations in order: tables, keys, indexes and foreign keys with ON DELETE', () => {
    const s = schemaOf(ws({
      'db/migrations/001_init.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE orders (id bigserial PRIMARY KEY, user_id int NOT NULL REFERENCES users(id), status text, created_at timestamptz);\nCREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;\n',
      'db/migrations/002_more.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_created ON orders (status, created_at DESC);\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;\n',
    }))!;
    const orders = tableNamed(s, 'orders')!;
    assert.deepStrictEqual(orders.primaryKey, ['id']);
    assert.deepStrictEqual(orders.indexes.map((i) => i.columns), [['status', 'created_at']]);
    assert.deepStrictEqual(orders.foreignKeys.map((f) => [f.columns[0], f.table, f.onDelete]), [['user_id', 'users', undefined], ['user_id', 'users', 'cascade']]);
    assert.ok(isIndexedLead(orders, 'status') && !isIndexedLead(orders, 'created_at') && !isIndexedLead(orders, 'user_id'));
    assert.ok(isIndexedLead(tableNamed(s, 'users')!, 'email'));
    assert.deepStrictEqual(s.skipped, []);
    assert.deepStrictEqual(s.migrationDirs.map((d) => d.files.map((f) => path.basename(f))), [['001_init.sql', '002_more.sql']]);
  });

  it('reads MySQL DDL with backquotes and inline keys', () => {
    const s = schemaOf(ws({ 'schema.sql': 'CREATE TABLE `posts` (`id` int NOT NULL AUTO_INCREMENT, `author_id` int NOT NULL, `slug` varchar(80), PRIMARY KEY (`id`), KEY `idx_author` (`author_id`), CONSTRAINT `fk_a` FOREIGN KEY (`author_id`) REFERENCES `users` (`id`) ON DELETE SET NULL) ENGINE=InnoDB;\n' }))!;
    const t = tableNamed(s, 'posts')!;
    assert.deepStrictEqual(t.primaryKey, ['id']);
    assert.ok(isIndexedLead(t, 'author_id') && !isIndexedLead(t, 'slug'));
    assert.deepStrictEqual(t.foreignKeys.map((f) => f.onDelete), ['set null']);
  });

  it('reads schema.prisma: @@map, @map, @unique, @@index order, relations and their default delete action', () => {
    const s = schemaOf(ws({ 'prisma/schema.prisma': 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  posts Post[]\n  @@map("users")\n}\n\nmodel Post {\n  id       Int  @id\n  authorId Int  @map("author_id")\n  editorId Int?\n  title    String\n  author   User  @relation("a", fields: [authorId], references: [id])\n  editor   User? @relation("e", fields: [editorId], references: [id])\n  @@index([title, authorId])\n}\n' }))!;
    const post = tableNamed(s, 'Post')!;
    assert.deepStrictEqual(post.indexes.map((i) => i.columns), [['title', 'author_id']]);
    assert.deepStrictEqual(post.foreignKeys.map((f) => [f.columns[0], f.table, f.onDelete]), [['author_id', 'users', 'restrict'], ['editorId', 'users', 'set null']]);
    assert.strictEqual(tableNamed(s, 'User')!.name, 'users');
  });

  it('reads Django and SQLAlchemy/SQLModel models', () => {
    const s = schemaOf(ws({
      'shop/models.py': 'from django.db import models\n\nclass Order(models.Model):\n    customer = models.ForeignKey("Customer", on_delete=models.PROTECT)\n    status = models.CharField(max_length=20, help_text="(x")\n    ref = models.CharField(max_length=20, db_index=True)\n\n    class Meta:\n        indexes = [models.Index(fields=["-status", "ref"])]\n\nclass Customer(models.Model):\n    email = models.EmailField(unique=True)\n',
      'app/models.py': 'from sqlalchemy import Column, ForeignKey, Integer, String, Index\nfrom sqlalchemy.orm import declarative_base\nBase = declarative_base()\n\nclass Invoice(Base):\n    __tablename__ = "invoices"\n    __table_args__ = (Index("ix_inv_number", "number"),)\n    id = Column(Integer, primary_key=True)\n    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)\n    number = Column(String)\n    state = Column(String, index=True)\n',
    }))!;
    const order = tableNamed(s, 'Order')!;
    assert.strictEqual(order.name, 'shop_order');
    assert.deepStrictEqual(order.foreignKeys.map((f) => [f.columns[0], f.table, f.onDelete]), [['customer_id', 'shop_customer', 'protect']]);
    assert.ok(isIndexedLead(order, 'customer_id') && isIndexedLead(order, 'status') && isIndexedLead(order, 'ref'));
    const inv = tableNamed(s, 'invoices')!;
    assert.deepStrictEqual(inv.primaryKey, ['id']);
    assert.ok(isIndexedLead(inv, 'number') && isIndexedLead(inv, 'state') && !isIndexedLead(inv, 'user_id'));
    assert.deepStrictEqual(inv.foreignKeys.map((f) => [f.table, f.onDelete]), [['users', 'cascade']]);
  });

  it('reads Knex migrations (up only, in name order) and Alembic revisions (upgrade only, in revision order)', () => {
    const s = schemaOf(ws({
      'migrations/20240101000000_init.js': "exports.up = (knex) => knex.schema\n  .createTable('accounts', (t) => {\n    t.increments('id');\n    t.string('email').notNullable().unique();\n  })\n  .createTable('invoices', function (table) {\n    table.bigIncrements('id');\n    table.integer('account_id').unsigned().references('id').inTable('accounts').onDelete('CASCADE');\n    table.string('number');\n    table.string('state');\n    table.index(['state', 'number']);\n  });\n\nexports.down = (knex) => knex.schema.dropTable('invoices').dropTable('accounts');\n",
      'migrations/20240102000000_more.js': "export async function up(knex) {\n  await knex.schema.alterTable('invoices', (t) => {\n    t.foreign('number').references('accounts.email');\n    t.uuid('token').index();\n  });\n}\n",
      'alembic/versions/b2_second.py': 'from alembic import op\nimport sqlalchemy as sa\n\nrevision = "b2"\ndown_revision = "a1"\n\n\ndef upgrade():\n    op.create_index(op.f("ix_ledger_account"), "ledger", ["account"], unique=False)\n\n\ndef downgrade():\n    op.drop_index(op.f("ix_ledger_account"), table_name="ledger")\n    op.drop_table("ledger")\n',
      'alembic/versions/a1_first.py': 'from alembic import op\nimport sqlalchemy as sa\n\nrevision = "a1"\ndown_revision = None\n\n\ndef upgrade():\n    op.create_table(\n        "ledger",\n        sa.Column("id", sa.Integer(), nullable=False),\n        sa.Column("account", sa.String(length=40)),\n        sa.Column("memo", sa.Text()),\n        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),\n        sa.PrimaryKeyConstraint("id"),\n    )\n\n\ndef downgrade():\n    op.drop_table("ledger")\n',
    }))!;
    const inv = tableNamed(s, 'invoices')!;
    assert.deepStrictEqual(inv.primaryKey, ['id']);
    assert.deepStrictEqual(inv.indexes.map((i) => i.columns), [['state', 'number'], ['token']]);
    assert.deepStrictEqual(inv.foreignKeys.map((f) => [f.columns[0], f.table, f.onDelete]), [['account_id', 'accounts', 'cascade'], ['number', 'accounts', undefined]]);
    assert.ok(isIndexedLead(tableNamed(s, 'accounts')!, 'email'));
    const ledger = tableNamed(s, 'ledger')!;
    assert.ok(ledger, 'downgrade() dropped nothing');
    assert.deepStrictEqual(ledger.primaryKey, ['id']);
    assert.ok(isIndexedLead(ledger, 'account') && !isIndexedLead(ledger, 'memo'));
    assert.deepStrictEqual(ledger.foreignKeys.map((f) => [f.table, f.onDelete]), [['users', 'set null']]);
  });

  it('reads Drizzle tables and Sequelize models (attributes, options, default table names)', () => {
    const s = schemaOf(ws({
      'db/schema.ts': "export const orgs = pgTable('orgs', { id: serial('id').primaryKey() });\nexport const members = pgTable('members', {\n  id: serial('id').primaryKey(),\n  orgId: integer('org_id').references(() => orgs.id, { onDelete: 'cascade' }),\n  role: text('role'),\n}, (t) => ({ byOrg: index('m_org').on(t.orgId, t.role) }));\n",
      'models/user.js': "const { Model, DataTypes } = require('sequelize');\nclass User extends Model {}\nUser.init({\n  email: { type: DataTypes.STRING, unique: true },\n  teamId: { type: DataTypes.INTEGER, references: { model: 'teams', key: 'id' }, onDelete: 'SET NULL' },\n}, { sequelize, underscored: true, indexes: [{ unique: false, fields: ['teamId'] }] });\n",
    }))!;
    const m = tableNamed(s, 'members')!;
    assert.strictEqual(m.model, 'members');
    assert.deepStrictEqual(m.indexes.map((i) => i.columns), [['org_id', 'role']]);
    assert.deepStrictEqual(m.foreignKeys.map((f) => [f.columns[0], f.table, f.refColumns[0], f.onDelete]), [['org_id', 'orgs', 'id', 'cascade']]);
    const u = tableNamed(s, 'Users')!;
    assert.strictEqual(u.model, 'User');
    assert.deepStrictEqual(u.primaryKey, ['id']);
    assert.ok(isIndexedLead(u, 'email') && isIndexedLead(u, 'team_id'));
    assert.deepStrictEqual(u.foreignKeys.map((f) => [f.columns[0], f.table, f.onDelete]), [['team_id', 'teams', 'set null']]);
  });

  it('skips a broken file with a reason naming it and keeps the others', () => {
    const s = schemaOf(ws({
      'prisma/schema.prisma': 'model User {\n  id Int @id\n',
      'migrations/001.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY, x int REFERENCES;\n',
    }))!;
    assert.deepStrictEqual(s.skipped.map((x) => path.basename(x.file)).sort(), ['001.sql', 'schema.prisma']);
    assert.ok(tableNamed(s, 'a'));
    assert.match(s.skipped.find((x) => x.file.endsWith('001.sql'))!.reason, /line 2/);
  });

  it('rules read the schema through the engine: a broken file is a notice naming it; one-off scripts and workspaces without a schema are silent', async () => {
    const e = await engine();
    const files = new Map<string, string>([['/ws/db/migrations/001.sql', 'CREATE TABLE orders (id serial PRIMARY KEY, status text);\n'], ['/ws/db/migrations/002.sql', 'CREATE INDEX ON orders (status;\n']]);
    const reader = { root: '/ws', readFile: (p: string) => files.get(p), findFiles: (pred: (rel: string) => boolean) => [...files.keys()].filter((p) => pred(path.relative('/ws', p))) };
    const query = "exports.f = (pool) => pool.query('SELECT id FROM orders WHERE status = $1', ['x']);\n";
    const app = e.analyze('/ws/src/orders.js', query, { workspace: reader });
    assert.deepStrictEqual(app.findings.map((f) => f.ruleId), ['missing-index']);
    assert.deepStrictEqual(app.notices.map((n) => [n.kind, n.message.split(':')[0]]), [['fact-file', 'db/migrations/002.sql']]);
    assert.deepStrictEqual(e.analyze('/ws/scripts/backfill.js', query, { workspace: reader }).findings, []);
    const none = { root: '/other', readFile: () => undefined, findFiles: () => [] };
    assert.deepStrictEqual(e.analyze('/other/src/orders.js', query, { workspace: none }).findings, []);
  });
});
