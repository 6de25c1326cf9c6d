// Schedulers and replicas of the workspace, from its deployment config: read once per change of the
// workspace, each file by the parser of its kind; a file that does not parse is skipped with a notice.
import * as path from 'path';
import type { WorkspaceIndex } from '../../model/workspace';
import type { DeployFacts } from './deploy';
import { readKubernetes } from './kubernetes';
import { readCrontab } from './crontab';
import { readVercel } from './vercel';
import { readWorkflow } from './github-actions';
import { readServerless } from './serverless';
import { readRender } from './render';
import { readDockerfile, readProcfile } from './procfile';
import { processManagerFiles, readGunicornConf, readPm2 } from './process-managers';

export type { DeployFacts, DeploySchedule, Replicated } from './deploy';

export function deployFacts(ws: WorkspaceIndex): DeployFacts {
  return ws.fact('deploy.facts', () => {
    const out: DeployFacts = { schedules: [], replicas: [], skipped: [] };
    for (const file of ws.factFiles()) {
      const base = path.basename(file);
      const rel = path.relative(ws.root, file).replace(/\\/g, '/');
      const text = ws.read(file);
      if (text === undefined) continue;
      if (base === 'vercel.json') readVercel(file, text, out);
      else if (base === 'Procfile') readProcfile(file, text, out);
      else if (base === 'crontab' || /\.cron$/i.test(base)) readCrontab(file, text, out);
      else if (/^Dockerfile\b|\.Dockerfile$/i.test(base)) readDockerfile(file, text, out);
      else if (/^serverless\.ya?ml$/i.test(base)) readServerless(file, text, out);
      else if (/^render\.ya?ml$/i.test(base)) readRender(file, text, out);
      else if (/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) readWorkflow(file, text, out);
      else if (/\.ya?ml$/i.test(base) && !/^pnpm-lock\.yaml$/i.test(base)) readKubernetes(file, text, out);
    }
    const pm = processManagerFiles(ws);
    for (const f of pm.pm2) { const t = ws.read(f); if (t) readPm2(f, t, out); }
    for (const f of pm.gunicorn) { const t = ws.read(f); if (t) readGunicornConf(f, t, out); }
    return out;
  });
}
