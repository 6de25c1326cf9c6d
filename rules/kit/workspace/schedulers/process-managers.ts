// Process settings written as code: PM2 ecosystem files (`instances`, `exec_mode: 'cluster'`) and
// gunicorn config modules (`workers = 4`). Read as text: they are configuration, not app code.
import * as path from 'path';
import type { WorkspaceIndex } from '../../model/workspace';
import type { DeployFacts } from './deploy';

/** Each `{ ... }` object of an ecosystem file that names a `script`. */
export function readPm2(file: string, text: string, out: DeployFacts): void {
  for (const m of text.matchAll(/\bscript\s*:\s*(['"`])([^'"`]+)\1/g)) {
    const open = text.lastIndexOf('{', m.index);
    const close = text.indexOf('}', m.index);
    if (open === -1 || close === -1) continue;
    const app = text.slice(open, close);
    const inst = /\binstances\s*:\s*(?:(['"])(max)\1|(-?\d+))/.exec(app);
    const cluster = /\bexec_mode\s*:\s*['"]cluster(?:_mode)?['"]/.test(app);
    const count: number | 'max' | undefined = inst?.[2] ? 'max' : inst?.[3] !== undefined ? Number(inst[3]) : undefined;
    // instances 0 or -1 mean one per CPU (minus one); cluster mode without instances starts one.
    const copies = count === undefined ? 1 : typeof count === 'number' && count <= 0 ? 'max' : count;
    if (copies === 'max' ? cluster || inst?.[2] !== undefined : copies > 1) out.replicas.push({ file, kind: 'PM2 cluster', count: copies, runs: m[2] });
  }
}

export function readGunicornConf(file: string, text: string, out: DeployFacts): void {
  const m = /^workers\s*=\s*(.+)$/m.exec(text);
  if (!m) return;
  const v = m[1].trim();
  const count = /^\d+$/.test(v) ? Number(v) : /cpu_count/.test(v) ? 'max' : undefined;
  if (count !== undefined && (count === 'max' || count > 1)) out.replicas.push({ file, kind: 'gunicorn workers', count });
}

export function processManagerFiles(ws: WorkspaceIndex): { pm2: string[]; gunicorn: string[] } {
  return {
    pm2: ws.files('js').filter((f) => /^(?:ecosystem|pm2)(?:\.config)?\.[cm]?js$/.test(path.basename(f))),
    gunicorn: ws.files('py').filter((f) => /^gunicorn(?:[._-]?conf(?:ig)?)?\.py$/.test(path.basename(f))),
  };
}
