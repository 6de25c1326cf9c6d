// crontab files (`crontab`, `*.cron`, /etc/cron.d style with a user column): one job per line.
import type { DeployFacts } from './deploy';

const FIELD = String.raw`[\d*/,\-A-Za-z?LW#]+`;
const LINE = new RegExp(String.raw`^(@\w+|${FIELD}(?:\s+${FIELD}){4})\s+(.+)$`);

export function readCrontab(file: string, text: string, out: DeployFacts): void {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || /^[A-Z_]+\s*=/.test(line)) continue;
    const m = LINE.exec(line);
    if (m) out.schedules.push({ file, kind: 'crontab', schedule: m[1], runs: m[2] });
  }
}
