// What deployment config says about jobs and processes: a job the platform starts on a schedule
// (a Kubernetes CronJob, a crontab line, a Vercel cron, a GitHub Actions schedule, a serverless
// schedule event, a Procfile `clock` process), and a process that runs as several copies at once
// (Deployment replicas, PM2 cluster instances, gunicorn/uvicorn workers).

export interface DeploySchedule {
  /** The config file that holds it. */
  file: string;
  kind: 'kubernetes CronJob' | 'crontab' | 'vercel.json cron' | 'GitHub Actions schedule' | 'serverless schedule' | 'Procfile clock process' | 'Render cron job';
  /** The cron expression or rate, when written. */
  schedule?: string;
  /** What it runs: the command, the path it requests, the handler it calls. */
  runs: string;
}

export interface Replicated {
  file: string;
  kind: 'kubernetes Deployment' | 'compose service' | 'Render service' | 'PM2 cluster' | 'gunicorn workers' | 'uvicorn workers';
  /** How many copies run at once ('max': one per CPU). */
  count: number | 'max';
  /** The command each copy runs; undefined when the config leaves it to the image (its CMD). */
  runs?: string;
}

export interface DeployFacts {
  schedules: DeploySchedule[];
  replicas: Replicated[];
  /** Config files that do not parse, with why: the rules reading these facts note them for the engine's notices. */
  skipped: { file: string; reason: string }[];
}

/** Worker processes a server command line starts: `gunicorn -w 4 app:app`, `uvicorn main:app --workers 2`. */
export function serverWorkers(file: string, command: string): Replicated | undefined {
  const server = /\b(gunicorn|uvicorn)\b/.exec(command)?.[1] as 'gunicorn' | 'uvicorn' | undefined;
  if (!server) return undefined;
  const m = /(?:^|\s)(?:-w\s*|--workers(?:=|\s+))["']?(\$\{?\w+\}?|\d+)/.exec(command);
  if (!m || !/^\d+$/.test(m[1])) return undefined;
  return { file, kind: `${server} workers`, count: Number(m[1]), runs: command };
}

/** A command given as a string or an argument list (`["node", "server.js"]`). */
export function commandText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join(' ');
  return undefined;
}
