// Which non-source files of a workspace hold facts the rules read: the schema a query runs against,
// the installed version of a library, the places a job is scheduled. One list, so the engine's index,
// the CLI and the server's file watcher agree on what a change to "the workspace" is.

/** Base names that are facts wherever they are. */
const FACT_NAMES = /^(?:schema\.prisma|package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|pyproject\.toml|Pipfile\.lock|vercel\.json|Procfile|crontab|serverless\.ya?ml|docker-compose\.ya?ml|compose\.ya?ml|fly\.toml|render\.yaml|app\.yaml|railway\.json|nixpacks\.toml|Dockerfile)$/i;
/** Shapes of names that are facts: Dockerfiles (a server's worker count), SQL files, Prisma schemas, requirement pins, cron tables, YAML manifests. */
const FACT_SHAPES = [/^Dockerfile\.[\w.-]+$/, /\.Dockerfile$/i, /\.prisma$/i, /\.sql$/i, /^requirements[\w.-]*\.(?:txt|in)$/i, /\.cron$/i, /\.ya?ml$/i];
/** Dot folders whose files are facts (CI schedules); every other dot folder is skipped. */
export const FACT_DOT_DIRS = new Set(['.github']);

/** Whether a workspace-relative path ('/'-separated) names a fact file. */
export function isWorkspaceFactFile(relPath: string): boolean {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  return FACT_NAMES.test(base) || FACT_SHAPES.some((re) => re.test(base));
}

/** Glob for an editor's file watcher covering the same files (kept in step with the lists above). */
export const FACT_FILES_GLOB = '**/{*.prisma,*.sql,*.yml,*.yaml,*.cron,*.toml,package.json,package-lock.json,npm-shrinkwrap.json,yarn.lock,poetry.lock,uv.lock,Pipfile.lock,vercel.json,railway.json,Procfile,crontab,Dockerfile,Dockerfile.*,*.Dockerfile,requirements*.txt,requirements*.in}';
