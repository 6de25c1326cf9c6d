// The workspace model's build time on the scan's 100,000-line tree: the facts rules read from
// outside the analysed file (schema, and the parts other issues add), built cold from disk the way
// the CLI builds them once per scan: list the tree, read the fact files, parse them. The tree gets a
// schema of realistic size first: SQL migrations, a schema.prisma and Django/SQLAlchemy models.
import * as fs from 'fs';
import * as path from 'path';
import { WorkspaceIndexes } from '../server/src/workspaceIndex';
import { schemaOf } from '../rules/kit/workspace/schema';
import { round } from './stats';

export interface WorkspaceModelResult {
  lines: number;
  factFiles: number;
  tables: number;
  /** Median cold build time per part of the model, in ms (listing and reading included in each). */
  parts: Record<string, number>;
  totalMs: number;
}

const TABLES = 60;

/** Writes the schema sources into the tree: 60 tables across 30 migrations, a Prisma schema and Python models. */
export function writeSchemaSources(root: string): void {
  const mig = path.join(root, 'db', 'migrations');
  fs.mkdirSync(mig, { recursive: true });
  for (let m = 0; m < TABLES / 2; m++) {
    const sql: string[] = [];
    for (const t of [2 * m, 2 * m + 1]) {
      sql.push(`CREATE TABLE t${t} (\n  id bigserial PRIMARY KEY,\n  owner_id integer REFERENCES t${Math.max(0, t - 1)} (id) ON DELETE CASCADE,\n  status text NOT NULL,\n  email text UNIQUE,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  total_cents integer\n);`);
      sql.push(`CREATE INDEX t${t}_created_idx ON t${t} (created_at, status);`);
    }
    fs.writeFileSync(path.join(mig, `${String(m + 1).padStart(4, '0')}_tables.sql`), sql.join('\n\n') + '\n');
  }
  const prisma = Array.from({ length: TABLES }, (_, i) => `model M${i} {\n  id        Int      @id @default(autoincrement())\n  ownerId   Int?\n  owner     M${Math.max(0, i - 1)}? @relation("r${i}", fields: [ownerId], references: [id])\n  kids      M${i + 1 < TABLES ? i + 1 : i}[] @relation("r${i + 1 < TABLES ? i + 1 : i}")\n  state     String\n  createdAt DateTime @default(now())\n\n  @@index([ownerId, state])\n}\n`).join('\n');
  fs.mkdirSync(path.join(root, 'prisma'), { recursive: true });
  fs.writeFileSync(path.join(root, 'prisma', 'schema.prisma'), prisma);
  const django = ['from django.db import models', '', ...Array.from({ length: TABLES / 2 }, (_, i) => `class D${i}(models.Model):\n    owner = models.ForeignKey("D${Math.max(0, i - 1)}", on_delete=models.CASCADE)\n    slug = models.SlugField()\n    state = models.CharField(max_length=20, db_index=True)\n\n    class Meta:\n        indexes = [models.Index(fields=["state", "slug"])]\n`)].join('\n');
  fs.mkdirSync(path.join(root, 'service', 'shop'), { recursive: true });
  fs.writeFileSync(path.join(root, 'service', 'shop', 'models.py'), django);
}

/** Median of `runs` cold builds of each part of the workspace model. */
export function measureWorkspaceModel(root: string, lines: number, runs = 3): WorkspaceModelResult {
  const parts: Record<string, (ws: ReturnType<WorkspaceIndexes['onDisk']>) => unknown> = {
    schema: (ws) => schemaOf(ws),
  };
  const out: Record<string, number> = {};
  let tables = 0;
  let factFiles = 0;
  for (const [name, build] of Object.entries(parts)) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const ws = new WorkspaceIndexes().onDisk(root);
      const t0 = performance.now();
      const v = build(ws);
      times.push(performance.now() - t0);
      factFiles = ws.factFiles().length;
      if (name === 'schema') tables = (v as ReturnType<typeof schemaOf>)?.tables.length ?? 0;
    }
    out[name] = round(times.sort((a, b) => a - b)[Math.floor(times.length / 2)], 1);
  }
  return { lines, factFiles, tables, parts: out, totalMs: round(Object.values(out).reduce((a, b) => a + b, 0), 1) };
}
