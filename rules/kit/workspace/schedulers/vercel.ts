// vercel.json `crons`: Vercel requests the path on the schedule.
import type { DeployFacts } from './deploy';

export function readVercel(file: string, text: string, out: DeployFacts): void {
  let json: { crons?: { path?: unknown; schedule?: unknown }[] };
  try { json = JSON.parse(text); } catch (e) {
    out.skipped.push({ file, reason: `cron jobs not read: not valid JSON (${(e as Error).message})` });
    return;
  }
  for (const c of Array.isArray(json?.crons) ? json.crons : []) {
    if (typeof c?.path === 'string') out.schedules.push({ file, kind: 'vercel.json cron', schedule: typeof c.schedule === 'string' ? c.schedule : undefined, runs: c.path });
  }
}
