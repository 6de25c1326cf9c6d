import pLimit from 'p-limit';
import PQueue from 'p-queue';

const limit = pLimit(5);
const queue = new PQueue({ concurrency: 4 });
const REGIONS = ['eu', 'us', 'ap'];

// A literal handful of calls.
export async function dashboard(userId: string) {
  const [me, feed] = await Promise.all([fetch(`/api/users/${userId}`), fetch('/api/feed')]);
  return { me, feed };
}

// A constant list of regions.
export async function health() {
  return Promise.all(REGIONS.map((r) => fetch(`https://${r}.status.example.com/ping`)));
}

// Bounded by p-limit and p-queue.
export async function limited(ids: string[]) {
  await Promise.all(ids.map((id) => limit(() => fetch(`/api/items/${id}`))));
  await Promise.all(ids.map((id) => queue.add(() => fetch(`/api/items/${id}`))));
}

// A batched loop: one chunk at a time.
export async function batched(ids: string[]) {
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(ids.slice(i, i + 20).map((id) => fetch(`/api/items/${id}`)));
  }
  for (const chunk of chunked(ids, 20)) {
    await Promise.all(chunk.map((id) => fetch(`/api/items/${id}`)));
  }
}

// No I/O per element: pure transformations.
export async function shapes(rows: { a: number }[]) {
  return Promise.all(rows.map((r) => Promise.resolve(r.a * 2)));
}

// The keys of a constant object.
const SOURCES = { github: 'https://api.github.com', gitlab: 'https://gitlab.com/api' };
export async function sources() {
  return Promise.all(Object.entries(SOURCES).map(([name, url]) => fetch(url).then((r) => ({ name, ok: r.ok }))));
}

function chunked<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

// The fields of one object (lodash map), and a list the caller passes: its size is the caller's.
import _ from 'lodash';
export async function translateFields(dto: Record<string, string>, keys: string[]) {
  await Promise.all(_.map(dto, (value) => fetch(`/api/translate?text=${encodeURIComponent(value)}`)));
  await Promise.all(keys.map((k) => fetch(`/api/flags/${k}`)));
}

// A page of rows.
export async function firstPage(db: { user: { findMany(a: unknown): Promise<{ id: string }[]> } }) {
  const users = await db.user.findMany({ take: 20 });
  return Promise.all(users.map((u) => fetch(`/api/avatars/${u.id}`)));
}

// Results of a fixed number of calls, and the values of a settled object, are not rows.
export async function seed(make: () => Promise<{ id: string }>) {
  const users = await Promise.all(Array.from({ length: 12 }, () => make()));
  await Promise.all(users.map((u) => fetch(`/api/welcome/${u.id}`, { method: 'POST' })));
}

// One owner's rows (a user's push subscriptions) are bounded by what that user did.
export async function pushToUser(repo: { find(a: unknown): Promise<{ endpoint: string }[]> }, userId: string) {
  const subscriptions = await repo.find({ where: { userId } });
  await Promise.all(subscriptions.map((s) => fetch(s.endpoint, { method: 'POST' })));
}

// The values of a resolved object are not rows.
export const hashed = Promise.resolve({ a: 'x', b: 'y' }).then((topics) => Promise.all(Object.values(topics).map((t) => fetch(`/api/topics/${t}`))));
// vibeguard-disable-file missing-timeout -- this fixture is about unbounded-concurrency; missing-timeout has fixtures of its own
