// Which non-source files of a workspace hold facts the rules read: the schema a query runs against,
// the installed version of a library, the places a job is scheduled. One list, so the engine's index,
// the CLI and the server's file watcher agree on what a change to "the workspace" is.

/** Base names that are facts wherever they are (compared without case). */
const FACT_NAMES = [
  'schema.prisma', 'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'poetry.lock', 'uv.lock',
  'pyproject.toml', 'Pipfile.lock', 'vercel.json', 'Procfile', 'crontab', 'serverless.yml', 'serverless.yaml', 'docker-compose.yml',
  'docker-compose.yaml', 'compose.yml', 'compose.yaml', 'fly.toml', 'render.yaml', 'app.yaml', 'railway.json', 'nixpacks.toml', 'Dockerfile',
];
const FACT_NAME_SET = new Set(FACT_NAMES.map((n) => n.toLowerCase()));
/**
 * Shapes of names that are facts, each as the index tests it and as an editor's watcher globs it:
 * Dockerfiles (a server's worker count), SQL files, Prisma schemas, requirement pins, cron tables,
 * YAML manifests.
 */
const FACT_SHAPES: { re: RegExp; globs: string[] }[] = [
  { re: /^Dockerfile\.[\w.-]+$/, globs: ['Dockerfile.*'] },
  { re: /\.Dockerfile$/i, globs: ['*.Dockerfile'] },
  { re: /\.prisma$/i, globs: ['*.prisma'] },
  { re: /\.sql$/i, globs: ['*.sql'] },
  { re: /^requirements[\w.-]*\.(?:txt|in)$/i, globs: ['requirements*.txt', 'requirements*.in'] },
  { re: /\.cron$/i, globs: ['*.cron'] },
  { re: /\.ya?ml$/i, globs: ['*.yml', '*.yaml'] },
];
/** Dot folders whose files are facts (CI schedules); every other dot folder is skipped. */
export const FACT_DOT_DIRS = new Set(['.github']);

/** Whether a workspace-relative path ('/'-separated) names a fact file. */
export function isWorkspaceFactFile(relPath: string): boolean {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  return FACT_NAME_SET.has(base.toLowerCase()) || FACT_SHAPES.some((s) => s.re.test(base));
}

/** Glob for an editor's file watcher covering the same files, made from the same lists. */
export const FACT_FILES_GLOB = `**/{${[...FACT_NAMES, ...FACT_SHAPES.flatMap((s) => s.globs)].join(',')}}`;
