// Schedulers and replicas of the workspace, from its deployment config: gathered once per change of
// the workspace, each file read by the parser of its kind once per version of that file; a file that
// does not parse is skipped with a notice.
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

type FileReader = (file: string, text: string, out: DeployFacts) => void;

/** How a fact file of the workspace describes deployment, by its name and place. */
function readerFor(ws: WorkspaceIndex, file: string): FileReader | undefined {
  const base = path.basename(file);
  const rel = path.relative(ws.root, file).replace(/\\/g, '/');
  if (base === 'vercel.json') return readVercel;
  if (base === 'Procfile') return readProcfile;
  if (base === 'crontab' || /\.cron$/i.test(base)) return readCrontab;
  if (/^Dockerfile\b|\.Dockerfile$/i.test(base)) return readDockerfile;
  if (/^serverless\.ya?ml$/i.test(base)) return readServerless;
  if (/^render\.ya?ml$/i.test(base)) return readRender;
  if (/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return readWorkflow;
  if (/\.ya?ml$/i.test(base) && !/^pnpm-lock\.yaml$/i.test(base)) return readKubernetes;
  return undefined;
}

export function deployFacts(ws: WorkspaceIndex): DeployFacts {
  return ws.fact('deploy.facts', () => {
    const out: DeployFacts = { schedules: [], replicas: [], skipped: [] };
    for (const file of ws.factFiles()) {
      const reader = readerFor(ws, file);
      if (!reader) continue;
      // Each file's facts are read once per version of it: a change elsewhere does not read it again.
      const part = ws.perFile(file, 'deploy.file', (text) => {
        const own: DeployFacts = { schedules: [], replicas: [], skipped: [] };
        reader(file, text, own);
        return own;
      });
      if (!part) continue;
      out.schedules.push(...part.schedules);
      out.replicas.push(...part.replicas);
      out.skipped.push(...part.skipped);
    }
    const pm = processManagerFiles(ws);
    for (const f of pm.pm2) { const t = ws.read(f); if (t) readPm2(f, t, out); }
    for (const f of pm.gunicorn) { const t = ws.read(f); if (t) readGunicornConf(f, t, out); }
    return out;
  });
}
