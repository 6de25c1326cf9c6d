// Add index for tables whose schema lives in ORM migrations: a new Knex migration (the folder's
// naming scheme, CommonJS or ES module/TypeScript like its neighbours) or a new Alembic revision
// chained after the current head.
import { createHash } from 'crypto';
import * as path from 'path';
import type { FixResult } from '../kit/rule';
import type { WorkspaceIndex } from '../kit/model/workspace';
import type { Table } from '../kit/workspace/schema';
import { newMigration } from '../kit/fixes/migrations';

export function knexIndexMigration(ws: WorkspaceIndex, table: Table, column: string, name: string): FixResult {
  const dir = path.dirname(table.origin.file);
  const existing = ws.files('js').filter((f) => path.dirname(f) === dir);
  const sample = ws.read(table.origin.file) ?? '';
  const esm = /export\s+(?:async\s+)?function\s+up|export\s+const\s+up/.test(sample);
  const ts = /\.ts$/.test(table.origin.file);
  const body = (fn: 'up' | 'down') => `knex.schema.alterTable('${table.name}', (table) => {\n    table.${fn === 'up' ? 'index' : 'dropIndex'}(['${column}'], '${name}');\n  })`;
  const content = esm
    ? `${ts ? "import type { Knex } from 'knex';\n\n" : ''}export async function up(knex${ts ? ': Knex' : ''})${ts ? ': Promise<void>' : ''} {\n  await ${body('up')};\n}\n\nexport async function down(knex${ts ? ': Knex' : ''})${ts ? ': Promise<void>' : ''} {\n  await ${body('down')};\n}\n`
    : `exports.up = (knex) =>\n  ${body('up')};\n\nexports.down = (knex) =>\n  ${body('down')};\n`;
  const m = newMigration(dir, existing, `add_${name}`, content, '', new Date(), ts ? '.ts' : '.js');
  return { edits: [], files: [{ kind: 'create', path: m.files[0].path, content }], title: `Add index on ${table.name}.${column} in a new Knex migration ${path.basename(m.files[0].path)}` };
}

export function alembicIndexRevision(ws: WorkspaceIndex, table: Table, column: string, name: string): FixResult | undefined {
  const dir = path.dirname(table.origin.file);
  const revs = ws.files('py').filter((f) => path.dirname(f) === dir).map((f) => ws.read(f) ?? '');
  const ids = revs.map((t) => /^revision\s*(?::[^=\n]*)?=\s*['"]([^'"]+)['"]/m.exec(t)?.[1]).filter((x): x is string => !!x);
  const downs = new Set(revs.map((t) => /^down_revision\s*(?::[^=\n]*)?=\s*['"]([^'"]+)['"]/m.exec(t)?.[1]));
  const heads = ids.filter((id) => !downs.has(id));
  // Two heads need a merge revision first: the user decides.
  if (heads.length !== 1) return undefined;
  const id = createHash('sha1').update(`${heads[0]}:${table.name}:${column}`).digest('hex').slice(0, 12);
  const content = `"""add index ${name}\n\nRevision ID: ${id}\nRevises: ${heads[0]}\n"""\nfrom alembic import op\n\nrevision = "${id}"\ndown_revision = "${heads[0]}"\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.create_index("${name}", "${table.name}", ["${column}"])\n\n\ndef downgrade():\n    op.drop_index("${name}", table_name="${table.name}")\n`;
  const file = path.join(dir, `${id}_add_${name}.py`);
  return { edits: [], files: [{ kind: 'create', path: file, content }], title: `Add index on ${table.name}.${column} in a new Alembic revision ${path.basename(file)}` };
}
