// GitHub Actions workflows started by `on: schedule`: what their steps run.
import * as yaml from 'js-yaml';
import type { DeployFacts } from './deploy';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function readWorkflow(file: string, text: string, out: DeployFacts): void {
  if (!/\bschedule\s*:/.test(text)) return;
  let doc: Obj;
  try { doc = yaml.load(text) as Obj; } catch (e) {
    out.skipped.push({ file, reason: `workflow schedule not read: not valid YAML (${(e as Error).message.split('\n')[0]})` });
    return;
  }
  // YAML 1.1 reads a bare `on:` key as the boolean true.
  const on = doc?.on ?? doc?.true;
  const crons = Array.isArray(on?.schedule) ? (on.schedule as Obj[]).map((s) => s?.cron).filter((c) => typeof c === 'string') : [];
  if (!crons.length) return;
  const runs: string[] = [doc.name ?? ''];
  for (const job of Object.values((doc.jobs ?? {}) as Record<string, Obj>)) {
    for (const step of (job?.steps ?? []) as Obj[]) if (typeof step?.run === 'string') runs.push(step.run);
  }
  out.schedules.push({ file, kind: 'GitHub Actions schedule', schedule: crons.join(', '), runs: runs.join('\n') });
}
