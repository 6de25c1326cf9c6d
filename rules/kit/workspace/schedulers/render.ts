// render.yaml (Render Blueprints, flat or grouped by project and environment): cron services (a
// schedule and the command it starts) and web/worker services run as several instances.
import * as yaml from 'js-yaml';
import { serverWorkers, type DeployFacts } from './deploy';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function readRender(file: string, text: string, out: DeployFacts): void {
  let doc: Obj;
  try { doc = yaml.load(text) as Obj; } catch (e) {
    out.skipped.push({ file, reason: `Render services not read: not valid YAML (${(e as Error).message.split('\n')[0]})` });
    return;
  }
  const services: Obj[] = [];
  const collect = (o: Obj | undefined) => {
    if (Array.isArray(o?.services)) services.push(...o.services);
    for (const p of (o?.projects ?? []) as Obj[]) for (const env of (p?.environments ?? []) as Obj[]) collect(env);
  };
  collect(doc);
  for (const s of services) {
    const cmd = typeof s?.startCommand === 'string' ? s.startCommand : undefined;
    if (s?.type === 'cron' && typeof s.schedule === 'string') out.schedules.push({ file, kind: 'Render cron job', schedule: s.schedule, runs: [s.name, cmd].filter(Boolean).join(' ') });
    const n = s?.numInstances ?? s?.scaling?.minInstances;
    if (/^(?:web|worker|pserv)$/.test(s?.type) && typeof n === 'number' && n > 1) out.replicas.push({ file, kind: 'Render service', count: n, runs: cmd });
    if (cmd) { const w = serverWorkers(file, cmd); if (w) out.replicas.push(w); }
  }
}
