import * as ir from '../kit/model/ir';
import { defineRule, format } from '../kit/rule';
import { rowChangeOf, type RowChange } from '../kit/frameworks/deletions';
import { key, newTable, hasSchema, schemaFor, tableNamed, type Schema, type Table } from '../kit/workspace/schema';
import { unhandledDependents, type Dependent } from '../kit/workspace/schema/dependents';
import { deletionFix, fixPlan } from './incomplete-deletion.fix';

const messages = {
  orphans: 'deleting from {table} here leaves rows in {list}, which reference it without ON DELETE CASCADE: the account looks deleted while its personal data stays behind (or the delete fails on the foreign key); delete them first, in one transaction',
  noTransaction: 'deleting from {table} here and from {others} in separate statements without a transaction: a failure midway leaves the account half deleted; run the deletes in one transaction',
};

/** Tables and models that hold accounts. */
const ACCOUNT = /^(?:auth_?)?(?:users?|accounts?|customers?|members?|app_?users?|profiles?)$/i;
const ACCOUNT_VAR = /(?:^|[._])(?:user|account|customer|member|profile)$/i;
/** A transaction around the function's statements (driver, ORM, or SQL). */
const TRANSACTION = /\$transaction|\bBEGIN\b|\.transaction\s*\(|transaction\.atomic|\.begin\s*\(|\bsession\.commit\s*\(|\bdb\.session\b|withTransaction|startTransaction|sql\.begin/;

export default defineRule({
  id: 'incomplete-deletion',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  needsWorkspace: true,
  triggers: /\bdelete\b|\bDELETE\b|deleteMany|destroy|\.del\s*\(/,
  docs: {
    summary: 'An account deletion leaves rows that reference the user (per the workspace schema), or deletes from several tables without a transaction',
    why: 'GDPR deletion "silently failed. No error. Looked successful": the endpoint deleted the `users` row while orders, addresses and sessions that reference it stayed behind, because their foreign keys neither cascade nor are deleted by the code, so personal data lived on in orphaned rows (or, with a RESTRICT key, every deletion failed). The rule reads the foreign keys from the workspace schema (SQL migrations, schema.prisma, Django and SQLAlchemy models) and reports a deletion from the user/account table whose referencing tables are not covered by `ON DELETE CASCADE`/`SET NULL` (Prisma `onDelete: Cascade`, Django `on_delete=CASCADE`) nor deleted or anonymised by the same function, and a deletion that removes rows of several tables in separate statements outside a transaction. Soft deletes that anonymise the row and a workspace without a schema are not reported.',
    fix: 'Delete dependent rows in one transaction: the missing deletes are generated from the schema\'s foreign keys, children before parents (rows two keys away through a subquery or a Django `__` lookup), and run with the user\'s delete in the driver\'s transaction: node-postgres `BEGIN`/`COMMIT`/`ROLLBACK` on a client checked out of the pool, Prisma `$transaction([...])`, Django `transaction.atomic()`. Marked unsafe: it deletes data the code kept before. Other drivers get the finding without a fix.',
    examples: {
      js: {
        workspace: { 'db/migrations/001_init.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\nCREATE TABLE addresses (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), street text);\n' },
        bad: "app.delete('/account', requireAuth, async (req, res) => {\n  await pool.query('DELETE FROM users WHERE id = $1', [req.user.id]);\n  res.status(204).end();\n});\n",
        good: "app.delete('/account', requireAuth, async (req, res) => {\n  await pool.query('UPDATE users SET email = NULL, deleted_at = now() WHERE id = $1', [req.user.id]);\n  res.status(204).end();\n});\n",
      },
      py: {
        workspace: { 'shop/models.py': 'from django.conf import settings\nfrom django.db import models\n\n\nclass Address(models.Model):\n    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)\n    street = models.CharField(max_length=80)\n' },
        bad: 'def delete_account(request):\n    request.user.delete()\n',
        good: 'def delete_account(request):\n    request.user.is_active = False\n    request.user.save()\n',
      },
    },
  },
  messages,
  create({ model, report }) {
    if (!hasSchema(model)) return {};
    let schema: Schema | undefined | null = null;
    return {
      Call(c) {
        const del = rowChangeOf(model, c);
        if (!del || del.kind !== 'delete') return;
        if (del.instance && !ACCOUNT_VAR.test(del.target)) return;
        if (!del.instance && !ACCOUNT.test(del.target)) return;
        if (schema === null) schema = schemaFor(model);
        if (!schema) return;
        const root = accountTable(schema, del);
        if (!root) return;
        const fn = ir.enclosingFunction(c) ?? model.root;
        const changes = model.nodesOfType('Call').filter((x) => x !== c && ir.isInside(x, fn) && ir.enclosingFunction(x) === ir.enclosingFunction(c)).map((x) => rowChangeOf(model, x)).filter((x): x is RowChange => !!x);
        const handled = new Set(changes.map((x) => targetKey(schema as Schema, x)).filter((x): x is string => !!x));
        const missing = unhandledDependents(schema, root, handled);
        const inTx = TRANSACTION.test(model.text.slice(fn.start, fn.end));
        const plan = fixPlan(model, del, changes.filter((x) => x.kind === 'delete'), inTx);
        const noFix = 'reason' in plan ? plan.reason : false;
        if (missing.length) {
          report({ node: c, message: format(messages.orphans, { table: root.name, list: describe(missing) }), data: { table: root.name, call: [c.start, c.end] }, noFix });
          return;
        }
        const others = [...new Set(changes.filter((x) => x.kind === 'delete').map((x) => targetKey(schema as Schema, x)).filter((x): x is string => !!x && x !== key(root.name)))];
        if (others.length && !inTx) report({ node: c, message: format(messages.noTransaction, { table: root.name, others: others.join(', ') }), data: { table: root.name, call: [c.start, c.end] }, noFix });
      },
    };
  },
  fix: deletionFix,
});

function accountTable(schema: Schema, del: RowChange): Table | undefined {
  if (!del.instance) {
    const t = tableNamed(schema, del.target);
    return t && (ACCOUNT.test(t.name) || ACCOUNT.test(t.model ?? '')) ? t : undefined;
  }
  // `user.delete()`: the workspace's user model, or Django's own auth_user when models reference it.
  const own = schema.tables.find((t) => /^(?:User|Account|Customer|Member)$/.test(t.model ?? '') && (t.origin.kind === 'django' || t.origin.kind === 'sqlalchemy'));
  if (own) return own;
  if (schema.tables.some((t) => t.foreignKeys.some((f) => f.table === 'auth_user'))) return newTable('auth_user', { file: '', kind: 'django', start: 0, end: 0 }, 'User');
  return undefined;
}

function targetKey(schema: Schema, x: RowChange): string | undefined {
  if (x.instance) return undefined;
  const t = tableNamed(schema, x.target);
  return t ? key(t.name) : key(x.target);
}

function describe(deps: Dependent[]): string {
  const names = deps.map((d) => `${d.table.name} (${d.table.name}.${d.path[d.path.length - 1].fk.columns.join(', ')})`);
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

