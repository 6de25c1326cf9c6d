// What a lockfile parser returns: per importer (a package of a monorepo, '' for the lockfile's own
// folder), the versions installed for each package name, with the ranges they were resolved for
// when the lockfile says (yarn) so that the one the package.json asks for can be chosen.
export interface Candidate { version: string; ranges?: string[] }
export type Installed = Map<string, Map<string, Candidate[]>>;

export function add(out: Installed, importer: string, name: string, c: Candidate): void {
  let names = out.get(importer);
  if (!names) out.set(importer, (names = new Map()));
  const list = names.get(name) ?? [];
  const same = list.find((x) => x.version === c.version);
  if (same) { if (c.ranges) same.ranges = [...(same.ranges ?? []), ...c.ranges]; }
  else list.push(c);
  names.set(name, list);
}

/** PEP 503 name: case and runs of `-_.` do not matter. */
export const pyName = (name: string) => name.trim().toLowerCase().replace(/[-_.]+/g, '-');

/** Thrown by a parser for a file it cannot read; the message becomes the notice. */
export class LockfileError extends Error {}
