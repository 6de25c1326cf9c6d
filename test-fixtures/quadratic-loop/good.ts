const ROLES = ['admin', 'editor', 'viewer'];

// Set and Map lookups.
export function unique(rows: { email: string }[]): number {
  const seen = new Set<string>();
  const byEmail = new Map<string, number>();
  for (const r of rows) {
    if (!seen.has(r.email)) seen.add(r.email);
    byEmail.set(r.email, (byEmail.get(r.email) ?? 0) + 1);
  }
  return seen.size + byEmail.size;
}

// A small constant collection, a string search, and a list unrelated to the loop's size.
export function check(users: { role: string; name: string }[], banned: string) {
  return users.filter((u) => ROLES.includes(u.role) && !banned.includes(u.name) && u.name.includes(' '));
}

// A bounded inner collection: the three most recent.
export function recent(rows: { id: number }[]) {
  const top = rows.slice(0, 3);
  return rows.filter((r) => top.includes(r));
}

// A few variants or selected roles per row: the outer list is another, small one.
export function stats(variants: { id: string }[], assignments: { variantId: string }[], selected: string[], tags: string[]) {
  const names = tags.map((t) => t.toLowerCase());
  return variants.map((v) => assignments.filter((a) => a.variantId === v.id).length + (selected.some((r) => names.indexOf(r) !== -1) ? 1 : 0));
}

// Results of a fixed number of calls, nested.
export async function seed(make: () => Promise<number>) {
  const users = await Promise.all(Array.from({ length: 12 }, () => make()));
  for (const a of users) for (const b of users) if (a === b) continue;
}
