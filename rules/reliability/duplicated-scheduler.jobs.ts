// Jobs the analysed file schedules in application code: node-cron, node-schedule, cron's CronJob,
// @nestjs/schedule decorators, setInterval started at server boot, APScheduler, Celery beat. Each
// with the job (callback or function), the names it goes by (to find the same job in deployment
// config), its period when written, and whether a lock or a dedicated-process switch guards it.
import * as ir from '../kit/model/ir';
import type { CodeModel } from '../kit/model/model';
import { within } from '../kit/model/ranges';
import { localFunction } from '../kit/model/calls';
import { src } from '../kit/model/literals';

export interface AppJob {
  /** The node reported: the scheduling call or decorator. */
  at: ir.Node;
  library: string;
  /** The job: a callback expression, a function reference, or the decorated function. */
  job?: ir.Node;
  /** How the job is attached: an argument the fix can wrap, or a decorated function. */
  attach: 'argument' | 'decorated' | 'none';
  names: string[];
  /** Period in milliseconds, when the schedule says it plainly. */
  periodMs?: number;
  /** Source of a period given as an expression (`Number(process.env.TICK_MS)`), for a hold computed at run time. */
  periodText?: string;
  /** Celery beat runs wherever a beat process runs, not in the app's processes. */
  beat?: boolean;
}

const from = (model: CodeModel, name: string, module: RegExp) => { const m = model.moduleOf(name); return !!m && module.test(m.module); };

/** Period of a cron expression: minutes for 5 fields, the seconds step for 6 fields with a stepped first field. */
export function cronPeriodMs(expr: string | undefined): number | undefined {
  if (!expr) return undefined;
  const f = expr.trim().split(/\s+/);
  if (f.length === 6) { const s = /^\*(?:\/(\d+))?$/.exec(f[0]); return s ? Number(s[1] ?? 1) * 1000 : 60_000; }
  if (f.length === 5) { const m = /^\*(?:\/(\d+))?$/.exec(f[0]); return m ? Number(m[1] ?? 1) * 60_000 : 3_600_000; }
  return undefined;
}

function str(n: ir.Node | undefined): string | undefined { const u = n && ir.unwrap(n); return u?.type === 'Str' ? u.value : undefined; }
function num(n: ir.Node | undefined): number | undefined { const u = n && ir.unwrap(n); return u?.type === 'Num' ? u.value : undefined; }

/** Names of a job: the function it is or calls (`sendInvoices`, `billing.send_invoices`). */
export function jobNames(model: CodeModel, job: ir.Node | undefined): string[] {
  if (!job) return [];
  const j = ir.unwrap(job);
  if (j.type !== 'Func') { const n = ir.dottedName(j); return n ? [n.split('.').pop()!] : []; }
  const names = j.name ? [j.name] : [];
  for (const c of within(model.calls, j)) { const n = ir.calleeName(c); if (n) names.push(n); }
  return names;
}

function jsJob(model: CodeModel, c: ir.Call): AppJob | undefined {
  const callee = c.callee;
  const d = ir.dottedName(callee);
  if (callee.type === 'Member' && callee.object.type === 'Ident') {
    const obj = callee.object.name;
    if (callee.prop === 'schedule' && from(model, obj, /^node-cron$/)) return { at: c, library: 'node-cron', job: c.args[1], attach: 'argument', names: [], periodMs: cronPeriodMs(str(c.args[0])) };
    if (callee.prop === 'scheduleJob' && from(model, obj, /^node-schedule$/)) return { at: c, library: 'node-schedule', job: c.args[c.args.length - 1], attach: 'argument', names: c.args.length > 2 ? [str(c.args[0]) ?? ''] : [], periodMs: cronPeriodMs(str(c.args[c.args.length - 2])) };
    if (c.isNew && callee.prop === 'CronJob' && from(model, obj, /^cron$/)) return { at: c, library: 'cron', job: c.args[1], attach: 'argument', names: [], periodMs: cronPeriodMs(str(c.args[0])) };
  }
  if (callee.type === 'Ident') {
    if (callee.name === 'scheduleJob' && from(model, 'scheduleJob', /^node-schedule$/)) return { at: c, library: 'node-schedule', job: c.args[c.args.length - 1], attach: 'argument', names: [], periodMs: cronPeriodMs(str(c.args[c.args.length - 2])) };
    if (c.isNew && callee.name === 'CronJob' && from(model, 'CronJob', /^cron$/)) return { at: c, library: 'cron', job: c.args[1], attach: 'argument', names: [], periodMs: cronPeriodMs(str(c.args[0])) };
    if (d === 'setInterval' && atBoot(model, c) && doesWork(model, c.args[0])) return { at: c, library: 'setInterval', job: c.args[0], attach: 'argument', names: [], periodMs: num(c.args[1]), periodText: c.args[1] && src(model, c.args[1]) };
  }
  return undefined;
}

/** setInterval at module level, or in the callback of the server's `listen(...)`. */
function atBoot(model: CodeModel, c: ir.Call): boolean {
  const fn = ir.enclosingFunction(c);
  if (!fn) return model.calls.some((x) => x.callee.type === 'Member' && x.callee.prop === 'listen');
  const p = fn.parent;
  return p?.type === 'Call' && p.callee.type === 'Member' && p.callee.prop === 'listen' && !ir.enclosingFunction(p);
}

/** A job that waits on something (I/O) or is a named function: not an in-process timer like a cache sweep. */
function doesWork(model: CodeModel, job: ir.Node | undefined): boolean {
  const j = job && ir.unwrap(job);
  if (!j) return false;
  if (j.type === 'Func') return j.async || within(model.nodesOfType('Await'), j).length > 0;
  return j.type === 'Ident' || j.type === 'Member';
}

function pyJob(model: CodeModel, c: ir.Call): AppJob | undefined {
  const callee = c.callee;
  if (callee.type !== 'Member' || callee.object.type !== 'Ident' || callee.prop !== 'add_job' || !isApScheduler(model, callee.object)) return undefined;
  const job = ir.keywordArg(c, 'func') ?? c.args.find((a) => a.type !== 'Keyword');
  const id = str(ir.keywordArg(c, 'id')) ?? str(ir.keywordArg(c, 'name'));
  return { at: c, library: 'APScheduler', job, attach: 'argument', names: id ? [id] : [], periodMs: intervalMs(c) };
}

function isApScheduler(model: CodeModel, id: ir.Ident): boolean {
  const v = model.valueOf(id);
  const u = v && ir.unwrap(v);
  const n = u?.type === 'Call' ? ir.dottedName(u.callee) : undefined;
  return !!n && /Scheduler$/.test(n) && from(model, n.split('.')[0], /^apscheduler/);
}

function intervalMs(c: ir.Call): number | undefined {
  const unit: Record<string, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000 };
  for (const [k, ms] of Object.entries(unit)) { const v = num(ir.keywordArg(c, k)); if (v !== undefined && str(c.args[1]) === 'interval') return v * ms; }
  return undefined;
}

/** The jobs a decorated function is scheduled as: `@Cron(...)`, `@Interval(ms)`, `@scheduler.scheduled_job(...)`. */
export function decoratedJobs(model: CodeModel, fn: ir.Func): AppJob[] {
  const out: AppJob[] = [];
  for (const d of fn.decorators) {
    const u = ir.unwrap(d);
    if (u.type !== 'Call') continue;
    const n = ir.dottedName(u.callee) ?? '';
    if ((n === 'Cron' || n === 'Interval') && from(model, n, /^@nestjs\/schedule$/)) {
      out.push({ at: u, library: '@nestjs/schedule', job: fn, attach: 'decorated', names: fn.name ? [fn.name] : [], periodMs: n === 'Interval' ? num(u.args[u.args.length - 1]) : cronPeriodMs(str(u.args[0])) });
    }
    if (u.callee.type === 'Member' && u.callee.prop === 'scheduled_job' && u.callee.object.type === 'Ident' && isApScheduler(model, u.callee.object)) {
      const id = str(ir.keywordArg(u, 'id'));
      out.push({ at: u, library: 'APScheduler', job: fn, attach: 'decorated', names: [...(fn.name ? [fn.name] : []), ...(id ? [id] : [])], periodMs: intervalMs(u) });
    }
  }
  return out;
}

/** `app.conf.beat_schedule = {...}` / `app.conf.update(beat_schedule=...)`: the names of its entries. */
function beatJob(model: CodeModel, a: ir.Assign): AppJob | undefined {
  if (a.target.type !== 'Member' || a.target.prop !== 'beat_schedule' || !a.value) return undefined;
  return { at: a, library: 'Celery beat', attach: 'none', names: src(model, a.value).match(/['"][\w.-]+['"]/g)?.map((s) => s.slice(1, -1)) ?? [], beat: true };
}

export function appJobs(model: CodeModel): AppJob[] {
  return model.cached('duplicated-scheduler.jobs', () => {
    const out: AppJob[] = [];
    for (const c of model.calls) { const j = model.lang === 'js' ? jsJob(model, c) : pyJob(model, c); if (j) out.push(j); }
    if (model.lang === 'py') for (const a of model.nodesOfType('Assign')) { const j = beatJob(model, a); if (j) out.push(j); }
    for (const fn of model.functions) if (fn.decorators.length) out.push(...decoratedJobs(model, fn));
    for (const j of out) j.names = [...new Set([...j.names, ...jobNames(model, j.job)].filter(Boolean))];
    return out;
  });
}

const LOCK = /pg_(?:try_)?advisory(?:_xact)?_lock|GET_LOCK\s*\(|[Rr]edlock|\bNX\b|\bnx\s*[=:]\s*(?:True|true)|setnx|\.lock\s*\(|acquire_?[Ll]ock|with_?[Ll]ock|[Ll]eader[Ee]lect|SchedulerLock|single[-_]beat/;
/** Switches that start the scheduler in one process only: an env flag, the primary of a cluster, PM2's first instance. */
const DEDICATED = /process\.env|os\.environ|os\.getenv|getenv\(|settings\.|config\.|isPrimary|isMaster|NODE_APP_INSTANCE|pm_id|INSTANCE|LEADER|[Ll]eader/;

/** Whether the job takes a lock, or the scheduling is switched on in one process only. */
export function isGuarded(model: CodeModel, job: AppJob): boolean {
  for (const a of ir.ancestors(job.at)) if (a.type === 'If' && DEDICATED.test(src(model, a.test))) return true;
  const j = job.job && ir.unwrap(job.job);
  if (!j) return false;
  const fn = j.type === 'Func' ? j : undefined;
  const texts = [src(model, j)];
  const calls = fn ? within(model.calls, fn) : j.type === 'Ident' ? [] : [];
  const ref = j.type === 'Ident' ? model.valueOf(j) : undefined;
  if (ref?.type === 'Func') texts.push(src(model, ref), ...within(model.calls, ref).map((c) => localFunction(model, c)).filter(Boolean).map((f) => src(model, f!)));
  for (const c of calls) { const f = localFunction(model, c); if (f) texts.push(src(model, f)); }
  // A job wrapped by a local helper (`job_lock("k", 30)(send)`, `withLock(send)`): the helper's text counts.
  for (let c: ir.Node = j; c.type === 'Call'; c = c.callee) { const f = localFunction(model, c); if (f) texts.push(src(model, f)); }
  return texts.some((t) => LOCK.test(t));
}
