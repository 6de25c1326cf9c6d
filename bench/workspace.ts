// The workspace model's build time on the bench's generated project: the index lists the tree and
// its fact files, then installed versions (lockfiles, pins) and deployment facts (manifests,
// schedules, replicas) are read once, as the first analysis after a change of the workspace does.
// Fact files of realistic size are written beside the project: a package-lock.json of 1,500
// packages, a poetry.lock of 200, requirements pins, Kubernetes manifests, a workflow, a Procfile.
import * as fs from 'fs';
import * as path from 'path';
import { WorkspaceIndexes } from '../server/src/workspaceIndex';
import { CodeModel } from '../rules/kit/model/model';
import { installedVersion } from '../rules/kit/workspace/versions';
import { deployFacts } from '../rules/kit/workspace/schedulers';
import { replicasRunning } from '../rules/kit/workspace/schedulers/matching';

export interface WorkspaceModelResult {
  files: number;
  factFiles: number;
  /** Listing the tree and building the versions and deployment facts, first time. */
  coldMs: number;
  /** The same questions once the facts are built (what every later analysis pays). */
  warmMs: number;
}

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

export function measureWorkspaceModel(projectDir: string): WorkspaceModelResult {
  writeFactFiles(projectDir);
  const ask = (ws: ReturnType<WorkspaceIndexes['onDisk']>) => {
    const file = ws.files('js')[0] ?? path.join(projectDir, 'index.js');
    installedVersion(modelFor(file, ws), 'npm', 'express');
    installedVersion(modelFor(file.replace(/\.[jt]s$/, '.py'), ws), 'pypi', 'pydantic');
    deployFacts(ws);
    replicasRunning(ws, file);
  };
  const ws = new WorkspaceIndexes().onDisk(projectDir);
  const t0 = performance.now();
  ask(ws);
  const coldMs = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < 10; i++) ask(ws);
  const warmMs = (performance.now() - t1) / 10;
  return { files: ws.files('js').length + ws.files('py').length, factFiles: ws.factFiles().length, coldMs, warmMs };
}
