// The workspace model's installed versions and deployment facts, read from realistic files: each
// lockfile format, the workspace root rule in a monorepo, each scheduler and replica source, and
// the notice naming a file that does not parse.
import * as assert from 'assert';
import * as path from 'path';
import { engine } from './harness/fixtures';
import { WorkspaceIndexes } from '../server/src/workspaceIndex';
import { CodeModel } from '../rules/kit/model/model';
import { installedVersion } from '../rules/kit/workspace/versions';
import { deployFacts } from '../rules/kit/workspace/schedulers';
import { replicasRunning } from '../rules/kit/workspace/schedulers/matching';
import { parseYarnLock } from '../rules/kit/workspace/versions/yarn-lock';
import { parsePnpmLock } from '../rules/kit/workspace/versions/pnpm-lock';
import { parseRequirements } from '../rules/kit/workspace/versions/requirements';
import { parsePackageLock } from '../rules/kit/workspace/versions/package-lock';

function index(files: Record<string, string>, root = '/ws') {
  const map = new Map(Object.entries(files).map(([k, v]) => [path.join(root, k), v]));
  return new WorkspaceIndexes().of({ root, readFile: (p) => map.get(p), findFiles: (pred) => [...map.keys()].filter((p) => pred(path.relative(root, p))) });
}

function modelAt(file: string, ws: ReturnType<typeof index>, lang: 'js' | 'py' = 'js'): CodeModel {
  const m = Object.create(CodeModel.prototype) as CodeModel;
  return Object.assign(m, { file, lang, workspace: ws, memo: new Map(), skippedFactFiles: [], noteSkippedFactFile: CodeModel.prototype.noteSkippedFactFile });
}

describe('workspace model: installed versions', () => {
  it('reads package-lock v1 and v3, yarn classic and berry, pnpm 6 and 9, requirements pins', () => {
    assert.strictEqual(parsePackageLock('{"lockfileVersion":1,"dependencies":{"express":{"version":"4.18.2"}}}').get('')!.get('express')![0].version, '4.18.2');
    const v3 = parsePackageLock('{"lockfileVersion":3,"packages":{"":{},"node_modules/express":{"version":"5.1.0"},"packages/api/node_modules/express":{"version":"4.21.2"},"node_modules/a/node_modules/express":{"version":"3.0.0"}}}');
    assert.strictEqual(v3.get('')!.get('express')![0].version, '5.1.0');
    assert.strictEqual(v3.get('packages/api')!.get('express')![0].version, '4.21.2');
    const classic = parseYarnLock('# yarn lockfile v1\n\n"@langchain/core@^0.2.0", "@langchain/core@~0.2.5":\n  version "0.2.18"\n  resolved "x"\n');
    assert.deepStrictEqual(classic.get('')!.get('@langchain/core'), [{ version: '0.2.18', ranges: ['^0.2.0', '~0.2.5'] }]);
    const berry = parseYarnLock('__metadata:\n  version: 8\n\n"openai@npm:^4.20.0":\n  version: 4.52.7\n  resolution: "openai@npm:4.52.7"\n');
    assert.strictEqual(berry.get('')!.get('openai')![0].version, '4.52.7');
    const pnpm6 = parsePnpmLock("lockfileVersion: '6.0'\nimporters:\n  .:\n    dependencies:\n      next:\n        specifier: ^15.0.0\n        version: 15.0.3(react@19.0.0)\n  packages/web:\n    dependencies:\n      next:\n        specifier: 14.2.5\n        version: 14.2.5\n");
    assert.strictEqual(pnpm6.get('')!.get('next')![0].version, '15.0.3');
    assert.strictEqual(pnpm6.get('packages/web')!.get('next')![0].version, '14.2.5');
    const req = parseRequirements('# pins\nSQLAlchemy[asyncio]==2.0.30 ; python_version >= "3.9"\nflask>=2\nPydantic_Core===2.18.4  # exact\n-r base.txt\n');
    assert.deepStrictEqual([...req.get('')!.keys()], ['sqlalchemy', 'pydantic-core']);
  });

  it('uses the lockfile of the file\'s workspace root, and in a monorepo lockfile the entry of its package', () => {
    const ws = index({
      'package.json': '{"workspaces":["packages/*"]}',
      'package-lock.json': '{"lockfileVersion":3,"packages":{"node_modules/express":{"version":"5.1.0"},"packages/legacy/node_modules/express":{"version":"4.21.2"}}}',
      'packages/legacy/package.json': '{"name":"legacy"}',
      'services/py/requirements.txt': 'pydantic==1.10.15\n',
      'poetry.lock': '[[package]]\nname = "pydantic"\nversion = "2.7.4"\n',
    });
    assert.strictEqual(installedVersion(modelAt('/ws/src/app.js', ws), 'npm', 'express')?.version, '5.1.0');
    assert.strictEqual(installedVersion(modelAt('/ws/packages/legacy/src/app.js', ws), 'npm', 'express')?.version, '4.21.2');
    assert.strictEqual(installedVersion(modelAt('/ws/services/py/app/models.py', ws, 'py'), 'pypi', 'pydantic')?.version, '1.10.15');
    assert.strictEqual(installedVersion(modelAt('/ws/app/models.py', ws, 'py'), 'pypi', 'Pydantic')?.version, '2.7.4');
    assert.strictEqual(installedVersion(modelAt('/ws/src/app.js', ws), 'npm', 'mongoose'), undefined);
  });

  it('a lockfile that does not parse is skipped with a notice naming it, and the rule stays silent', async () => {
    const e = await engine();
    const files = new Map([['/ws/requirements.txt', 'pydantic==2.7.1\n'], ['/ws/poetry.lock', '[[package]\nname = "pydantic"']]);
    const reader = { root: '/ws', readFile: (p: string) => files.get(p), findFiles: (pred: (rel: string) => boolean) => [...files.keys()].filter((p) => pred(path.relative('/ws', p))) };
    const code = 'from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    x: int\n\n\ndef f(a: A):\n    return a.dict()\n';
    const a = e.analyze('/ws/app.py', code, { workspace: reader });
    // requirements.txt still says pydantic 2: the finding stays, and the broken poetry.lock is named.
    assert.deepStrictEqual(a.findings.map((f) => f.ruleId), ['outdated-api']);
    assert.deepStrictEqual(a.notices.map((n) => [n.kind, n.message.split(':')[0]]), [['fact-file', 'poetry.lock']]);
    files.delete('/ws/requirements.txt');
    assert.deepStrictEqual(e.analyze('/ws/app.py', code, { workspace: reader }).findings, []);
  });
});

describe('workspace model: schedulers and replicas', () => {
  it('reads every source of schedules and replicas', () => {
    const ws = index({
      'k8s/all.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly-report\nspec:\n  schedule: "0 2 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: r\n              command: ["node", "jobs/report.js"]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: api\n          args: ["gunicorn", "-w", "4", "app.main:app"]\n',
      'crontab': 'MAILTO=""\n*/5 * * * * /usr/bin/curl -s http://localhost/api/cron/sync\n@daily node scripts/cleanup.js\n',
      'vercel.json': '{"crons":[{"path":"/api/cron/digest","schedule":"0 8 * * *"}]}',
      '.github/workflows/nightly.yml': 'name: nightly\non:\n  schedule:\n    - cron: "0 3 * * *"\njobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run send-digest\n',
      'serverless.yml': 'service: s\nfunctions:\n  digest:\n    handler: handler.sendDigest\n    events:\n      - schedule: rate(1 day)\n    role: !GetAtt Role.Arn\n',
      'Procfile': 'web: uvicorn main:app --workers 2\nclock: python clock.py\n',
      'Dockerfile': 'FROM python:3.12\nCMD ["gunicorn", "--workers=3", "wsgi:app"]\n',
      'compose.prod.yml': 'services:\n  worker:\n    command: celery -A proj worker -B\n    deploy:\n      replicas: 2\n',
      'ecosystem.config.js': "module.exports = { apps: [{ name: 'api', script: 'dist/server.js', instances: 4 }, { name: 'cron', script: 'dist/cron.js' }] };\n",
      'gunicorn.conf.py': 'import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\n',
      'render.yaml': 'projects:\n  - name: p\n    environments:\n      - name: prod\n        services:\n          - type: web\n            name: api\n            numInstances: 2\n          - type: cron\n            name: nightly-sync\n            schedule: "0 4 * * *"\n            startCommand: python -m app.sync\n',
    });
    const f = deployFacts(ws);
    assert.deepStrictEqual(f.schedules.map((s) => `${s.kind}: ${s.schedule ?? ''}`).sort(), [
      'GitHub Actions schedule: 0 3 * * *', 'Procfile clock process: ', 'Render cron job: 0 4 * * *', 'crontab: */5 * * * *', 'crontab: @daily', 'kubernetes CronJob: 0 2 * * *', 'serverless schedule: rate(1 day)', 'vercel.json cron: 0 8 * * *',
    ]);
    assert.deepStrictEqual(f.replicas.map((r) => `${r.kind} ${r.count}`).sort(), ['PM2 cluster 4', 'Render service 2', 'compose service 2', 'gunicorn workers 3', 'gunicorn workers 4', 'gunicorn workers max', 'kubernetes Deployment 3', 'uvicorn workers 2']);
    assert.deepStrictEqual(f.skipped, []);
  });

  it('a process that names another entry does not run the file; one whose entry imports it does', () => {
    const ws = index({
      'package.json': '{"scripts":{"start":"node dist/server.js"}}',
      'k8s/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          command: ["npm", "start"]\n',
      'src/server.ts': "import './jobs/digest';\n",
      'src/jobs/digest.ts': '',
      'src/worker.ts': '',
    });
    assert.deepStrictEqual(replicasRunning(ws, '/ws/src/jobs/digest.ts').map((r) => r.count), [3]);
    assert.deepStrictEqual(replicasRunning(ws, '/ws/src/worker.ts'), []);
  });
});
