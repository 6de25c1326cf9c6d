// A new SQL migration named the way the workspace names its own: the next number at the same
// width (`0007_add_index.sql`), a timestamp of the same shape (`20240611093000_...`,
// milliseconds, seconds), Flyway's `V8__...`, golang-migrate's `.up.sql`/`.down.sql` pair, or a
// Prisma-style folder holding `migration.sql`.
import * as path from 'path';

export interface NewMigration { files: { path: string; content: string }[] }

/**
 * The files of a migration called `slug` in `dir`, given the migrations already there
 * (absolute paths); `up` is its SQL, `down` the SQL that reverts it (written where the scheme
 * keeps one).
 */
export function newMigration(dir: string, existing: string[], slug: string, up: string, down: string, now = new Date(), ext = '.sql'): NewMigration {
  const names = existing.map((f) => path.relative(dir, f).replace(/\\/g, '/'));
  const prismaStyle = names.some((n) => /^\d{14}_[^/]+\/migration\.sql$/.test(n));
  if (prismaStyle) return { files: [{ path: path.join(dir, `${stamp(now)}_${slug}`, 'migration.sql'), content: up }] };
  const flyway = names.map((n) => /^V(\d+)__/.exec(n)?.[1]).filter(Boolean) as string[];
  if (flyway.length) return { files: [{ path: path.join(dir, `V${Math.max(...flyway.map(Number)) + 1}__${slug}${ext}`), content: up }] };
  const pair = names.some((n) => /\.up\.sql$/.test(n));
  const nums = names.map((n) => /^(\d+)([_-])/.exec(n)).filter(Boolean) as RegExpExecArray[];
  let prefix: string;
  let sep = '_';
  if (nums.length) {
    const widest = nums.reduce((a, b) => (b[1].length > a[1].length || (b[1].length === a[1].length && b[1] > a[1]) ? b : a));
    sep = widest[2];
    const w = widest[1].length;
    if (w === 14) prefix = stamp(now);
    else if (w === 13) prefix = String(now.getTime());
    else if (w === 10 && Number(widest[1]) > 1e9) prefix = String(Math.floor(now.getTime() / 1000));
    else prefix = String(Number(widest[1]) + 1).padStart(w, '0');
  } else prefix = stamp(now);
  const base = `${prefix}${sep}${slug}`;
  if (pair) return { files: [{ path: path.join(dir, `${base}.up.sql`), content: up }, { path: path.join(dir, `${base}.down.sql`), content: down }] };
  return { files: [{ path: path.join(dir, `${base}${ext}`), content: up }] };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** An SQL identifier, quoted when it is not a plain lower-case name. */
export function sqlIdent(name: string, mysql = false): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : mysql ? `\`${name}\`` : `"${name.replace(/"/g, '""')}"`;
}
