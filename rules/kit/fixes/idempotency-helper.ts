// The idempotency helper module the guard fix calls: its source in the handler's module style,
// where it goes in a workspace, and recognising one the workspace already has.
import * as path from 'path';

export type ModuleStyle = 'ts' | 'esm' | 'cjs';
export type Role = 'db' | 'id' | 'fn';

export interface GuardHelper {
  /** Absolute path of the module. */
  path: string;
  fnName: string;
  /** What each parameter of the helper receives, in order. */
  roles: Role[];
  /** Content to write when the module does not exist yet. */
  create?: string;
}

export const HELPER_NAME = 'oncePerEvent';
const HELPER_FILE = /(^|\/)(idempotency|idempotent|dedupe?|webhook-?idempotency|once-?per-?event)\.(ts|mts|cts|js|mjs|cjs)$/i;

const HEADER = `// Runs a webhook's side effects at most once per event id.
//
// Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response
// is slow or fails, sometimes while the first delivery is still running. The primary key on
// processed_events lets exactly one delivery claim an id (INSERT ... ON CONFLICT DO NOTHING is
// atomic in PostgreSQL), so concurrent and later duplicates skip the side effects.
//
// The claim is taken before the side effects run and released when they throw, so the
// provider's retry runs them again. A process that dies between the two leaves the id claimed
// and the event is not re-run: reconcile from the provider's event log if that matters.
//
// Pass a Pool to claim in a statement of its own, or the client of an open transaction to make
// the claim part of it: a rollback then releases the claim with everything else, and concurrent
// duplicates wait for that transaction's outcome.
//
// The table is created on first use (under an advisory lock, so concurrent first deliveries do
// not race); run PROCESSED_EVENTS_DDL in a migration instead when the application's database
// role may not create tables.
`;

const DDL = `\`CREATE TABLE IF NOT EXISTS processed_events (
  event_id text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
)\``;

/** The helper module's source for node-postgres (a Pool or a Client). */
export function helperSource(style: ModuleStyle): string {
  const ts = style === 'ts';
  const exp = style === 'cjs' ? '' : 'export ';
  const types = ts
    ? `
/** What the helper needs from a node-postgres Pool or Client. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}
`
    : '';
  return `${HEADER}
${exp}const PROCESSED_EVENTS_DDL = ${DDL};

// Lock and create in one simple-protocol query: they run in one transaction even in autocommit
// mode, so concurrent first deliveries wait for each other instead of racing on the catalog.
const CREATE_TABLE = \`SELECT pg_advisory_xact_lock(hashtext('processed_events'));
\${PROCESSED_EVENTS_DDL}\`;
${types}
const tables = new WeakMap${ts ? '<Queryable, Promise<void>>' : ''}();

function ensureTable(db${ts ? ': Queryable' : ''})${ts ? ': Promise<void>' : ''} {
  let ready = tables.get(db);
  if (!ready) {
    ready = db.query(CREATE_TABLE).then(
      () => undefined,
      (err${ts ? ': { code?: string }' : ''}) => {
        // Created at the same moment by something that does not take the lock.
        if (err.code === '23505' || err.code === '42P07') return;
        tables.delete(db);
        throw err;
      },
    );
    tables.set(db, ready);
  }
  return ready;
}

/**
 * Calls \`fn\` unless \`eventId\` was already claimed. Resolves to true when \`fn\` ran and to
 * false for a duplicate delivery.
 */
${exp}async function ${HELPER_NAME}(db${ts ? ': Queryable' : ''}, eventId${ts ? ': string' : ''}, fn${ts ? ': () => Promise<unknown>' : ''})${ts ? ': Promise<boolean>' : ''} {
  if (!eventId) throw new Error('${HELPER_NAME} needs the event id');
  await ensureTable(db);
  const claim = await db.query(
    'INSERT INTO processed_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING',
    [String(eventId)],
  );
  if (claim.rowCount === 0) return false;
  try {
    await fn();
  } catch (err) {
    // Release the claim so the provider's retry runs the side effects again. If releasing fails
    // too, the side effects' error is the one worth reporting.
    await db.query('DELETE FROM processed_events WHERE event_id = $1', [String(eventId)]).catch(() => undefined);
    throw err;
  }
  return true;
}
${style === 'cjs' ? `\nmodule.exports = { ${HELPER_NAME}, PROCESSED_EVENTS_DDL };\n` : ''}`;
}

/** Where a new helper goes: `src/lib/` for handlers under `src/`, else `lib/` at the root. */
export function defaultHelperPath(workspaceRoot: string | undefined, handlerFile: string, ext: string): string | undefined {
  if (!workspaceRoot) {
    // Next.js turns every file under pages/ into a route: never put the helper there.
    if (/(^|[\\/])pages[\\/]/.test(handlerFile)) return undefined;
    return path.join(path.dirname(handlerFile), `idempotency.${ext}`);
  }
  const rel = path.relative(workspaceRoot, handlerFile).replace(/\\/g, '/');
  if (rel.startsWith('..')) return undefined;
  const base = rel.startsWith('src/') ? 'src/lib' : 'lib';
  return path.join(workspaceRoot, base, `idempotency.${ext}`);
}

export function isHelperCandidate(relPath: string): boolean {
  return HELPER_FILE.test(relPath) && !/(^|\/)node_modules\//.test(relPath) && !/\.d\.[cm]?ts$/.test(relPath);
}

/**
 * The exported guard function of an existing module: a function taking a database handle and an
 * event id in either order, then a callback (`oncePerEvent(db, id, fn)`, `onceper(eventId, pool, run)`);
 * with `noHandle` (mongoose, whose models need none), an event id and a callback.
 */
export function recogniseHelper(text: string, noHandle = false): { fnName: string; roles: Role[] } | undefined {
  const found: { fnName: string; roles: Role[] }[] = [];
  const patterns = [
    /(?:^|\n)\s*(?:export\s+)?(?:async\s+)?function\s+([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(([^)]*)\)/g,
    /(?:^|\n)\s*(?:export\s+)?const\s+([A-Za-z_$][\w$]*)\s*=\s*async\s*\(([^)]*)\)/g,
    /(?:^|\n)\s*exports\.([A-Za-z_$][\w$]*)\s*=\s*async\s*(?:function\s*[\w$]*)?\s*\(([^)]*)\)/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const roles = splitParams(m[2]).map(roleOf);
      // The callback must come last, so that the guarded block reads as the call's final argument.
      const arity = noHandle ? 2 : 3;
      if (roles.length !== arity || new Set(roles).size !== arity || roles.includes(undefined) || roles[arity - 1] !== 'fn' || (noHandle && roles.includes('db'))) continue;
      if (!isExported(text, m[1], m[0])) continue;
      found.push({ fnName: m[1], roles: roles as Role[] });
    }
  }
  return found.find((f) => /once|idempot|dedup/i.test(f.fnName)) ?? found[0];
}

function isExported(text: string, name: string, decl: string): boolean {
  if (/\bexport\s/.test(decl) || /exports\./.test(decl)) return true;
  const m = /module\.exports\s*=\s*\{([^}]*)\}/.exec(text);
  if (m && new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`).test(m[1])) return true;
  return new RegExp(`export\\s*\\{[^}]*\\b${name.replace(/\$/g, '\\$')}\\b`).test(text);
}

function splitParams(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('<([{'.includes(ch)) depth++;
    else if ('>)]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((p) => p.trim().replace(/^\.\.\./, '').split(/[:=?]/)[0].trim()).filter(Boolean);
}

function roleOf(name: string): Role | undefined {
  if (/^(db|pool|client|conn|connection|database|pg|sql|queryable|executor|tx|knex)$/i.test(name)) return 'db';
  if (/^(id|key)$|Id$|_id$|Key$|_key$/.test(name)) return 'id';
  if (/^(fn|func|callback|cb|handler|work|task|effects?|run|action|body|sideEffects?|process)$/i.test(name)) return 'fn';
  return undefined;
}

/** Module specifier from one file to another: `../lib/idempotency`, with `.js` for ESM when asked. */
export function importSpecifier(fromFile: string, toFile: string, withExtension: boolean): string {
  let rel = path.relative(path.dirname(fromFile), toFile).replace(/\\/g, '/');
  const ext = path.extname(rel);
  rel = rel.slice(0, -ext.length);
  if (withExtension) rel += /^\.(ts|mts|cts)$/.test(ext) ? ext.replace('t', 'j') : ext;
  return rel.startsWith('.') ? rel : `./${rel}`;
}
