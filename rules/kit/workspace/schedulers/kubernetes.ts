// Kubernetes manifests and compose files (multi-document YAML): CronJobs and the command they run,
// Deployments/StatefulSets and their replicas, compose services with `deploy.replicas`. Helm
// templates (`{{ ... }}`) are not YAML until rendered and are left alone.
import * as yaml from 'js-yaml';
import { commandText, serverWorkers, type DeployFacts } from './deploy';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const containerCommands = (pod: Obj | undefined): string[] =>
  ((pod?.containers ?? []) as Obj[]).map((c) => [commandText(c?.command), commandText(c?.args)].filter(Boolean).join(' ')).filter(Boolean);

export function readKubernetes(file: string, text: string, out: DeployFacts): void {
  if (text.includes('{{')) return;
  // `docker-compose.yml`, `compose.yaml`, `compose.prod.yml`: services, not Kubernetes objects.
  const compose = /(?:^|[\\/])(?:docker-)?compose(?:[.-][\w-]+)?\.ya?ml$/i.test(file);
  if (!compose && !/^\s*kind\s*:/m.test(text)) return;
  let docs: unknown[];
  try { docs = yaml.loadAll(text); } catch (e) {
    out.skipped.push({ file, reason: `deployment config not read: not valid YAML (${(e as Error).message.split('\n')[0]})` });
    return;
  }
  for (const doc of docs as Obj[]) {
    if (!doc || typeof doc !== 'object') continue;
    if (compose) { readCompose(file, doc, out); continue; }
    const kind = doc.kind;
    if (kind === 'CronJob') {
      const cmds = containerCommands(doc.spec?.jobTemplate?.spec?.template?.spec);
      out.schedules.push({ file, kind: 'kubernetes CronJob', schedule: doc.spec?.schedule, runs: [doc.metadata?.name, ...cmds].filter(Boolean).join(' ') });
    } else if (kind === 'Deployment' || kind === 'StatefulSet') {
      const cmds = containerCommands(doc.spec?.template?.spec);
      const replicas = doc.spec?.replicas ?? 1;
      // A HorizontalPodAutoscaler or `replicas` left to kubectl scale: the manifest's number is what we know.
      if (typeof replicas === 'number' && replicas > 1) out.replicas.push({ file, kind: 'kubernetes Deployment', count: replicas, runs: cmds.length ? cmds.join(' ') : undefined });
      for (const c of cmds) { const w = serverWorkers(file, c); if (w) out.replicas.push(w); }
    }
  }
}

function readCompose(file: string, doc: Obj, out: DeployFacts): void {
  for (const svc of Object.values((doc.services ?? {}) as Record<string, Obj>)) {
    const cmd = commandText(svc?.command);
    const replicas = svc?.deploy?.replicas;
    if (typeof replicas === 'number' && replicas > 1) out.replicas.push({ file, kind: 'compose service', count: replicas, runs: cmd });
    if (cmd) { const w = serverWorkers(file, cmd); if (w) out.replicas.push(w); }
  }
}
