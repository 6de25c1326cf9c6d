// Guard with an advisory lock: the job runs through a helper that lets one copy of the app take
// the tick (Postgres pg_try_advisory_lock held at least part of the period, or Redis SET NX PX that
// expires by itself) and makes the others skip it. Offered where the file has a lock store at hand.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import type { FixResult, TextEdit } from '../kit/rule';
import { src, jsString, pyString, indentAt, lineStartOf } from '../kit/model/literals';
import { afterImports } from '../kit/fixes/module-top';
import { addPyImport } from '../kit/fixes/py-imports';
import { usesSemicolons } from '../kit/fixes/style';

export type LockStore = { kind: 'pg' | 'ioredis' | 'node-redis' | 'redis-py'; name: string };

/** A Postgres pool or Redis client this module creates at its top level. */
export function lockStore(model: CodeModel): LockStore | undefined {
  for (const b of model.bindings(model.root).values()) {
    const v = b.kind === 'var' && b.value ? ir.unwrap(b.value) : undefined;
    if (v?.type !== 'Call') continue;
    const n = ir.dottedName(v.callee) ?? '';
    const mod = model.moduleOf(n.split('.')[0])?.module;
    if (model.lang === 'js') {
      if (v.isNew && /(?:^|\.)Pool$/.test(n) && mod === 'pg') return { kind: 'pg', name: b.name };
      if (v.isNew && mod === 'ioredis') return { kind: 'ioredis', name: b.name };
      if (/(?:^|\.)createClient$/.test(n) && (mod === 'redis' || mod === '@redis/client')) return { kind: 'node-redis', name: b.name };
    } else if (mod === 'redis' && /(?:^|\.)(?:Redis|StrictRedis|from_url)$/.test(n)) return { kind: 'redis-py', name: b.name };
  }
  return undefined;
}

/** How long the lock stays taken: half the period (a copy's timer fires within it), at most 30 s. */
export const holdMsFor = (periodMs: number | undefined) => Math.max(100, Math.min(30_000, Math.floor((periodMs ?? 60_000) / 2)));

function jsHelper(model: CodeModel, store: LockStore): string {
  const ts = /\.tsx?$/.test(model.file);
  const sig = ts ? 'async function withJobLock(key: string, holdMs: number, job: () => unknown): Promise<void>' : 'async function withJobLock(key, holdMs, job)';
  const semi = usesSemicolons(model) ? ';' : '';
  const head = '// Runs a scheduled job on one copy of the app per tick: every copy (replica, worker) schedules it, the\n// one that takes the lock runs it and the others skip the tick.\n';
  if (store.kind === 'pg') {
    return `${head}// The Postgres advisory lock is held at least holdMs, so a copy whose timer fires a little later\n// cannot take it again for the same tick.\n${sig} {\n  const client = await ${store.name}.connect()${semi}\n  try {\n    const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key])${semi}\n    if (!rows[0].locked) return${semi}\n    const started = Date.now()${semi}\n    try {\n      await job()${semi}\n    } finally {\n      const left = holdMs - (Date.now() - started)${semi}\n      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left))${semi}\n      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key])${semi}\n    }\n  } finally {\n    client.release()${semi}\n  }\n}\n`;
  }
  const set = store.kind === 'ioredis' ? `${store.name}.set(\`job-lock:\${key}\`, String(process.pid), 'PX', holdMs, 'NX')` : `${store.name}.set(\`job-lock:\${key}\`, String(process.pid), { NX: true, PX: holdMs })`;
  return `${head}// Redis SET NX PX: the lock expires by itself after holdMs, so a copy that crashed cannot keep it.\n${sig} {\n  const taken = await ${set}${semi}\n  if (taken !== 'OK') return${semi}\n  await job()${semi}\n}\n`;
}

function pyHelper(store: LockStore): string {
  return `\n\ndef job_lock(key, hold_seconds):\n    """Runs a scheduled job on one copy of the app per tick: every copy (replica, worker) schedules it,\n    the one that takes the Redis lock (SET NX PX) runs it and the others skip the tick. The lock\n    expires by itself, so a copy that crashed cannot keep it."""\n\n    def wrap(job):\n        @functools.wraps(job)\n        def run(*args, **kwargs):\n            if not ${store.name}.set(f"job-lock:{key}", "1", nx=True, px=int(hold_seconds * 1000)):\n                return None\n            return job(*args, **kwargs)\n\n        return run\n\n    return wrap\n`;
}

export interface LockPlan { jobStart: number; jobEnd: number; attach: 'argument' | 'decorated'; key: string; holdMs: number; /** JS: the hold as an expression of the period, when the period is one. */ holdText?: string }

/** The key a job's lock goes by: its name, else the file and line. */
export function lockKey(model: CodeModel, names: string[], at: ir.Node): string {
  return names[0] ?? `${model.file.split(/[\\/]/).pop()}:${model.lines.position(at.start).line + 1}`;
}

/** The fix's edits, or why there is none. */
export function planLockFix(model: CodeModel, plan: LockPlan): FixResult | string {
  const store = lockStore(model);
  if (!store) return 'no Postgres pool or Redis client is created in this module: take a lock in the job (pg_try_advisory_lock, Redis SET NX PX) or start the scheduler in one dedicated process';
  if (model.lang === 'js' && plan.attach === 'decorated') return 'the job is a decorated method: wrap its body in a lock (pg_try_advisory_lock, Redis SET NX PX) by hand';
  const edits: TextEdit[] = [];
  const job = model.text.slice(plan.jobStart, plan.jobEnd);
  if (model.lang === 'js') {
    const exists = model.bindings(model.root).has('withJobLock');
    if (!exists) { const at = afterImports(model); edits.push({ start: at, end: at, newText: `${at ? '\n' : ''}${jsHelper(model, store)}${at ? '' : '\n'}` }); }
    edits.push({ start: plan.jobStart, end: plan.jobEnd, newText: `() => withJobLock(${jsString(plan.key)}, ${plan.holdText ?? plan.holdMs}, ${job})` });
    return { edits };
  }
  const fn = model.functions.find((f) => f.start <= plan.jobStart && f.end >= plan.jobEnd && plan.attach === 'decorated');
  if (plan.attach === 'decorated' ? fn?.async : model.functions.some((f) => f.async && f.name === job)) return 'the job is an async Python function: wrap its body in a Redis SET NX lock by hand';
  addPyImport(model, edits, 'import functools', 'functools');
  if (!model.bindings(model.root).has('job_lock')) {
    // After the statement that creates the client, so the helper reads as part of the setup.
    const client = [...model.bindings(model.root).values()].find((b) => b.name === store.name)?.node;
    const at = client ? (model.text.indexOf('\n', client.end) + 1 || model.text.length) : afterImports(model);
    // Two blank lines around a top-level def (PEP 8), whatever follows the client.
    const blanks = /^\n*/.exec(model.text.slice(at))![0].length;
    edits.push({ start: at, end: at, newText: pyHelper(store) + '\n'.repeat(Math.max(0, 2 - blanks)) });
  }
  const call = `job_lock(${pyString(plan.key)}, ${plan.holdMs / 1000})`;
  if (plan.attach === 'argument') edits.push({ start: plan.jobStart, end: plan.jobEnd, newText: `${call}(${job})` });
  else if (fn) { const line = lineStartOf(model.text, fn.start); const def = defLine(model, fn); edits.push({ start: def, end: def, newText: `${indentAt(model.text, line)}@${call}\n` }); }
  return { edits };
}

export function produceLockFix(model: CodeModel, plan: LockPlan): FixResult | undefined {
  const r = planLockFix(model, plan);
  return typeof r === 'string' ? undefined : r;
}

/** Start of the `def` line of a decorated function (after its decorators). */
function defLine(model: CodeModel, fn: ir.Func): number {
  const last = fn.decorators[fn.decorators.length - 1];
  const nl = model.text.indexOf('\n', last.end);
  return nl + 1;
}

export const jobText = (model: CodeModel, n: ir.Node) => src(model, n);
