// The workspace model's build time on the scan's 100,000-line tree: the facts rules read from
// outside the analysed file (schema, installed versions, deployment and schedules), built cold from
// disk the way the CLI builds them once per scan: list the tree, read the fact files, parse them.
// The tree gets fact files of realistic size first: SQL migrations, a schema.prisma and Django
// models; a package-lock.json of 1,500 packages, a poetry.lock of 200, requirements pins;
// Kubernetes manifests, a scheduled workflow and a Procfile.
import * as fs from 'fs';
import * as path from 'path';
import { WorkspaceIndexes } from '../server/src/workspaceIndex';
import { schemaOf } from '../rules/kit/workspace/schema';
import { CodeModel } from '../rules/kit/model/model';
import { installedVersion } from '../rules/kit/workspace/versions';
import { deployFacts } from '../rules/kit/workspace/schedulers';
import { replicasRunning } from '../rules/kit/workspace/schedulers/matching';
import { round } from './stats';

export interface WorkspaceModelResult {
  lines: number;
  factFiles: number;
  tables: number;
  /** Median cold build time per part of the model, in ms (listing and reading included in each). */
  parts: Record<string, number>;
  /** Median cold build of the whole model on one index. */
  totalMs: number;
}

const TABLES = 60;

/** Writes every fact file the model reads: the schema sources, lockfiles and pins, deployment config. */
export function writeFactSources(root: string): void {
  writeSchemaSources(root);
  writeFactFiles(root);
}

/** Lockfiles and pins, Kubernetes manifests, a scheduled workflow and a Procfile. */
function writeFactFiles(root: string): void {
  const packages: Record<string, { version: string }> = {};
  for (let i = 0; i < 1500; i++) packages[`node_modules/pkg-${i}`] = { version: `${i % 9}.${i % 13}.${i % 7}` };
  packages['node_modules/express'] = { version: '5.1.0' };
  fs.writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify({ name: 'bench', lockfileVersion: 3, packages }, null, 2));
  fs.writeFileSync(path.join(root, 'poetry.lock'), Array.from({ length: 200 }, (_, i) => `[[package]]\nname = "lib-${i}"\nversion = "1.${i}.0"\ndescription = "x"\noptional = false\n`).join('\n') + '[[package]]\nname = "pydantic"\nversion = "2.7.4"\n');
  fs.writeFileSync(path.join(root, 'requirements.txt'), Array.from({ length: 60 }, (_, i) => `lib-${i}==1.${i}.0`).join('\n') + '\n');
  fs.mkdirSync(path.join(root, 'k8s'), { recursive: true });
  const deployment = (name: string, replicas: number, cmd: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          command: ["node", "${cmd}"]\n`;
  fs.writeFileSync(path.join(root, 'k8s/apps.yaml'), [deployment('web', 4, 'dist/web/src/server.js'), deployment('worker', 1, 'dist/worker.js')].join('---\n'));
  fs.writeFileSync(path.join(root, 'k8s/cron.yaml'), 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: digest\nspec:\n  schedule: "0 8 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: digest\n              command: ["node", "dist/jobs/digest.js"]\n');
  fs.mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
  fs.writeFileSync(path.join(root, '.github/workflows/nightly.yml'), 'on:\n  schedule:\n    - cron: "0 3 * * *"\njobs:\n  n:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run nightly\n');
  fs.writeFileSync(path.join(root, 'Procfile'), 'web: gunicorn -w 4 app:app\nclock: python clock.py\n');
}

function modelFor(file: string, ws: ReturnType<WorkspaceIndexes['onDisk']>): CodeModel {
  return Object.assign(new CodeModel('js', file, '', { type: 'Program', body: [], start: 0, end: 0 }), { workspace: ws });
}

/** 60 tables across 30 migrations, a Prisma schema and Django models. */
function writeSchemaSources(root: string): void {
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
    versions: (ws) => {
      const file = ws.files('js')[0] ?? path.join(root, 'index.js');
      installedVersion(modelFor(file, ws), 'npm', 'express');
      return installedVersion(modelFor(file.replace(/\.[jt]s$/, '.py'), ws), 'pypi', 'pydantic');
    },
    deployment: (ws) => {
      const file = ws.files('js')[0] ?? path.join(root, 'index.js');
      return [deployFacts(ws), replicasRunning(ws, file)];
    },
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
  // The whole model on one index, as a scan builds it: the listing is paid once, not once per part.
  const whole: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ws = new WorkspaceIndexes().onDisk(root);
    const t0 = performance.now();
    for (const build of Object.values(parts)) build(ws);
    whole.push(performance.now() - t0);
  }
  return { lines, factFiles, tables, parts: out, totalMs: round(whole.sort((a, b) => a - b)[Math.floor(whole.length / 2)], 1) };
}
