// serverless.yml: functions with `schedule` events (rate or cron) and the handler they call.
import * as yaml from 'js-yaml';
import type { DeployFacts } from './deploy';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Serverless variables and CloudFormation tags are not plain YAML: read them as text.
const TAGS = ['!Ref', '!GetAtt', '!Sub', '!Join', '!If', '!Equals', '!ImportValue', '!Select', '!Split', '!FindInMap', '!Base64', '!Cidr', '!GetAZs', '!Condition', '!Not', '!And', '!Or']
  .flatMap((t) => (['scalar', 'sequence', 'mapping'] as const).map((kind) => new yaml.Type(t, { kind, construct: (d: unknown) => d })));
const SCHEMA = yaml.DEFAULT_SCHEMA.extend(TAGS);

export function readServerless(file: string, text: string, out: DeployFacts): void {
  let doc: Obj;
  try { doc = yaml.load(text, { schema: SCHEMA }) as Obj; } catch (e) {
    out.skipped.push({ file, reason: `schedule events not read: not valid YAML (${(e as Error).message.split('\n')[0]})` });
    return;
  }
  for (const [name, fn] of Object.entries((doc?.functions ?? {}) as Record<string, Obj>)) {
    for (const ev of (fn?.events ?? []) as Obj[]) {
      const s = ev?.schedule;
      if (!s) continue;
      const rate = typeof s === 'string' ? s : Array.isArray(s?.rate) ? s.rate.join(', ') : s?.rate;
      out.schedules.push({ file, kind: 'serverless schedule', schedule: typeof rate === 'string' ? rate : undefined, runs: `${name} ${fn.handler ?? ''}` });
    }
  }
}
