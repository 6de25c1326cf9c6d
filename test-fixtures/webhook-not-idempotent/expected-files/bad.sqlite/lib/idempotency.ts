// Runs a webhook's side effects at most once per event id (better-sqlite3).
//
// Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response
// is slow or fails, sometimes while the first delivery is still running. A unique key on the
// event id lets exactly one delivery claim it, so concurrent and later duplicates skip the side
// effects. The claim is taken before the side effects run and released when they throw, so the
// provider's retry runs them again. A process that dies between the two leaves the id claimed
// and the event is not re-run: reconcile from the provider's event log if that matters.
//
// INSERT OR IGNORE on the primary key claims atomically (SQLite runs one writer at a time).
// The table is created on first use; put PROCESSED_EVENTS_DDL in a migration instead if you
// keep the schema there.

export const PROCESSED_EVENTS_DDL = `CREATE TABLE IF NOT EXISTS processed_events (
  event_id TEXT PRIMARY KEY,
  processed_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
)`;

/** What the helper needs from a better-sqlite3 Database. */
export interface SqliteDb {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): { changes: number } };
}

const tables = new WeakSet<SqliteDb>();

function claim(db: SqliteDb, eventId: string): boolean {
  if (!tables.has(db)) {
    db.exec(PROCESSED_EVENTS_DDL);
    tables.add(db);
  }
  return db.prepare('INSERT OR IGNORE INTO processed_events (event_id) VALUES (?)').run(eventId).changes === 1;
}

/**
 * Calls `fn` unless `eventId` was already claimed. Resolves to true when `fn` ran and to
 * false for a duplicate delivery.
 */
export async function oncePerEvent(db: SqliteDb, eventId: string, fn: () => Promise<unknown>): Promise<boolean> {
  if (!eventId) throw new Error('oncePerEvent needs the event id');
  const id = String(eventId);
  const claimed = claim(db, id);
  if (!claimed) return false;
  try {
    await fn();
  } catch (err) {
    // Release the claim so the provider's retry runs the side effects again. If releasing fails
    // too, the side effects' error is the one worth reporting.
    try {
      db.prepare('DELETE FROM processed_events WHERE event_id = ?').run(id);
    } catch {
      // keep the side effects' error
    }
    throw err;
  }
  return true;
}
