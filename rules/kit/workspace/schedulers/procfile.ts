// Procfile (Heroku, Dokku, foreman) and Dockerfile commands: a `clock`/`scheduler` process runs the
// app's schedule, a server command line says how many workers it forks.
import type { DeployFacts } from './deploy';
import { serverWorkers } from './deploy';

export function readProcfile(file: string, text: string, out: DeployFacts): void {
  for (const line of text.split(/\r?\n/)) {
    const m = /^([\w-]+)\s*:\s*(.+)$/.exec(line.trim());
    if (!m) continue;
    if (/^(?:clock|scheduler|cron|beat)$/i.test(m[1])) out.schedules.push({ file, kind: 'Procfile clock process', runs: m[2] });
    const w = serverWorkers(file, m[2]);
    if (w) out.replicas.push(w);
  }
}

/** `CMD`/`ENTRYPOINT` lines, shell or exec form. */
export function readDockerfile(file: string, text: string, out: DeployFacts): void {
  for (const m of text.replace(/\\\r?\n/g, ' ').matchAll(/^\s*(?:CMD|ENTRYPOINT)\s+(.+)$/gim)) {
    let cmd = m[1].trim();
    if (cmd.startsWith('[')) { try { cmd = (JSON.parse(cmd) as string[]).join(' '); } catch { /* shell form after all */ } }
    const w = serverWorkers(file, cmd);
    if (w) out.replicas.push(w);
  }
}
