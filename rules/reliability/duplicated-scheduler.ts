import * as path from 'path';
import { defineRule, format } from '../kit/rule';
import type { CodeModel } from '../kit/model/model';
import { replicasRunning, schedulesOfJob } from '../kit/workspace/schedulers/matching';
import { deployFacts } from '../kit/workspace/schedulers';
import { isBrowserCode } from '../kit/frameworks/browser-code';
import { excerpt } from '../kit/frameworks/redact';
import { appJobs, isGuarded, type AppJob } from './duplicated-scheduler.jobs';
import { holdMsFor, lockKey, planLockFix, produceLockFix, type LockPlan } from './duplicated-scheduler.fix';

const messages = {
  alsoDeployed: '{job} is scheduled in the app ({library}) and again by the {kind} in {file}: both start it, so it runs twice per tick; keep one of the two schedules',
  replicated: '{job} is scheduled by {library} in every copy of this process, and {file} runs {count} copies ({kind}): each tick runs it {count} times; guard it with a lock or start it in one dedicated process',
  beat: 'Celery beat schedules {job}, and {file} runs {count} beat processes ({kind}): each one sends every task, so it runs {count} times per tick; run beat as a single process',
};

function relTo(model: CodeModel, file: string): string {
  return model.workspace ? path.relative(model.workspace.root, file).replace(/\\/g, '/') : path.basename(file);
}

export default defineRule({
  id: 'duplicated-scheduler',
  category: 'reliability',
  severity: 'warning',
  languages: ['js', 'py'],
  scope: 'workspace',
  cwe: 362,
  needsWorkspace: true,
  triggers: /node-cron|node-schedule|['"]cron['"]|@nestjs\/schedule|setInterval|apscheduler|beat_schedule/,
  docs: {
    summary: 'A job scheduled in application code (node-cron, node-schedule, cron, @nestjs/schedule, setInterval at boot, APScheduler, Celery beat) that deployment config also schedules (Kubernetes CronJob, crontab, vercel.json crons, GitHub Actions schedule, serverless schedule, Procfile clock, Render cron job), or whose process runs as several copies (Deployment or compose replicas, Render instances, PM2 cluster, gunicorn/uvicorn workers) with no lock',
    why: 'A scheduler inside the app runs in every copy of the app. Scale the Deployment to three replicas, start PM2 in cluster mode or gunicorn with four workers, and the 9:00 job runs three or four times: "the cron ran twice", every customer got the daily invoice e-mail once per replica. The same happens when the job is also scheduled by the platform (a Kubernetes CronJob, a Vercel cron, a crontab line) after someone moved it there and left the in-app schedule. The rule reads the workspace\'s deployment config next to the code and stays silent where none says the process is replicated or the job scheduled elsewhere, where the job takes a distributed lock (pg_try_advisory_lock, Redlock, Redis SET NX) and where the scheduler is switched on in one process only (an environment flag, the cluster primary, PM2\'s first instance, a dedicated clock process).',
    fix: 'Guard with an advisory lock: the job runs through `withJobLock(key, holdMs, job)` (JavaScript) or `@job_lock(key, seconds)` (Python), added to the module, which lets the copy that takes the lock run the tick and the others skip it: `pg_try_advisory_lock` on the module\'s Postgres pool, held at least half the period so a copy whose timer fires late cannot take the same tick (at most 30 s: timers started at boot, `setInterval`, are offset between copies by their start times, so for long intervals the lock stops overlapping runs but a wall-clock cron schedule is what makes them once per period), or Redis `SET key NX PX` on its Redis client, which expires by itself. Offered where the module creates a pg Pool or a Redis client; otherwise the finding says to take a lock in the job or move the scheduler to one dedicated process. A job also scheduled by deployment config gets no fix: the lock only guards copies of this code, so one of the two schedules has to go.',
    examples: {
      js: {
        workspace: { 'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: billing\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: billing\n          image: billing:1.4.2\n' },
        bad: "import cron from 'node-cron';\nimport { sendInvoices } from './invoices';\n\ncron.schedule('0 9 * * *', async () => {\n  await sendInvoices();\n});\n",
        good: "import cron from 'node-cron';\nimport { sendInvoices } from './invoices';\n\n// Only the deployment that sets RUN_SCHEDULER (one replica) starts the schedule.\nif (process.env.RUN_SCHEDULER === '1') {\n  cron.schedule('0 9 * * *', async () => {\n    await sendInvoices();\n  });\n}\n",
      },
      py: {
        workspace: { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 4\n' },
        bad: "from apscheduler.schedulers.background import BackgroundScheduler\n\nfrom billing import send_invoices\n\nscheduler = BackgroundScheduler()\nscheduler.add_job(send_invoices, \"cron\", hour=9)\nscheduler.start()\n",
        good: "import redis\nfrom apscheduler.schedulers.background import BackgroundScheduler\n\nfrom billing import send_invoices\n\nr = redis.Redis()\nscheduler = BackgroundScheduler()\n\n\ndef invoices_once():\n    if r.set(\"lock:invoices\", \"1\", nx=True, ex=300):\n        send_invoices()\n\n\nscheduler.add_job(invoices_once, \"cron\", hour=9)\nscheduler.start()\n",
      },
    },
  },
  messages,
  create({ model, report }) {
    const ws = model.workspace;
    if (!ws || (model.lang === 'js' && isBrowserCode(model))) return {};
    const check = (job: AppJob) => {
      // No deployment config in the workspace: nothing says the job runs more than once.
      const facts = deployFacts(ws);
      for (const s of facts.skipped) model.noteSkippedFactFile(s.file, s.reason);
      if (!facts.schedules.length && !facts.replicas.length) return;
      if (isGuarded(model, job)) return;
      const name = job.names[0] ?? (job.job ? excerpt(model, job.job, 30) : 'the job');
      const elsewhere = job.beat ? [] : schedulesOfJob(ws, model.file, job.names);
      if (elsewhere.length) {
        const s = elsewhere[0];
        report({ node: job.at, message: format(messages.alsoDeployed, { job: name, library: job.library, kind: s.kind, file: relTo(model, s.file) }), noFix: `the job also runs from ${relTo(model, s.file)}: a lock only guards copies of this code, so remove one of the two schedules` });
        return;
      }
      const replicas = replicasRunning(ws, model.file).filter((r) => (r.count === 'max' || r.count > 1) && (!job.beat || /celery\b.*(?:\bbeat\b|\s-B\b)/.test(r.runs ?? '') && !/single-beat/.test(r.runs ?? '')));
      if (!replicas.length) return;
      const r = replicas[0];
      const data = { count: r.count, kind: r.kind, file: relTo(model, r.file), job: name };
      const count = r.count === 'max' ? 'one per CPU' : String(r.count);
      if (job.beat) { report({ node: job.at, message: format(messages.beat, { ...data, count }), noFix: 'run celery beat as one process (its own Deployment with one replica, or single-beat)' }); return; }
      const message = format(messages.replicated, { ...data, library: job.library, count });
      if (job.attach === 'none' || !job.job) {
        report({ node: job.at, message, data, noFix: 'take a lock in the job (pg_try_advisory_lock, Redis SET NX PX) or start the scheduler in one dedicated process' });
        return;
      }
      const plan: LockPlan = { jobStart: job.job.start, jobEnd: job.job.end, attach: job.attach, key: lockKey(model, job.names, job.at), holdMs: holdMsFor(job.periodMs), holdText: job.periodMs === undefined && job.periodText && model.lang === 'js' && /^[\w$.()|&\s'"]+$/.test(job.periodText) ? `Math.min(30_000, (${job.periodText}) / 2)` : undefined };
      const fix = planLockFix(model, plan);
      report({ node: job.at, message, data: { ...data, plan }, noFix: typeof fix === 'string' ? fix : undefined });
    };
    return { 'Program:exit'() { for (const job of appJobs(model)) check(job); } };
  },
  fix: {
    title: 'Guard with an advisory lock',
    safety: 'unsafe',
    produce(finding, { model }) {
      const plan = finding.data?.plan as LockPlan | undefined;
      return plan && produceLockFix(model, plan);
    },
  },
});
