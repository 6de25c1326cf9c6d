// Runs a webhook's side effects at most once per event id (mysql2).
//
// Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response
// is slow or fails, sometimes while the first delivery is still running. A unique key on the
// event id lets exactly one delivery claim it, so concurrent and later duplicates skip the side
// effects. The claim is taken before the side effects run and released when they throw, so the
// provider's retry runs them again. A process that dies between the two leaves the id claimed
// and the event is not re-run: reconcile from the provider's event log if that matters.
//
// INSERT IGNORE on the primary key claims atomically: of concurrent deliveries exactly one
// inserts the row. Pass the pool from mysql2/promise (or pool.promise()), or a connection of an
// open transaction. The table is created on first use; put PROCESSED_EVENTS_DDL in a migration
// instead when the application's database user may not create tables.

const PROCESSED_EVENTS_DDL = `CREATE TABLE IF NOT EXISTS processed_events (
  event_id VARCHAR(255) PRIMARY KEY,
  processed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)`;

const tables = new WeakMap();

async function claim(db, eventId) {
  let ready = tables.get(db);
  if (!ready) {
    ready = db.query(PROCESSED_EVENTS_DDL).catch((err) => {
      tables.delete(db);
      throw err;
    });
    tables.set(db, ready);
  }
  await ready;
  const [result] = (await db.query('INSERT IGNORE INTO processed_events (event_id) VALUES (?)', [eventId]));
  return result.affectedRows === 1;
}

/**
 * Calls `fn` unless `eventId` was already claimed. Resolves to true when `fn` ran and to
 * false for a duplicate delivery.
 */
async function oncePerEvent(db, eventId, fn) {
  if (!eventId) throw new Error('oncePerEvent needs the event id');
  const id = String(eventId);
  const claimed = await claim(db, id);
  if (!claimed) return false;
  try {
    await fn();
  } catch (err) {
    // Release the claim so the provider's retry runs the side effects again. If releasing fails
    // too, the side effects' error is the one worth reporting.
    try {
      await db.query('DELETE FROM processed_events WHERE event_id = ?', [id]);
    } catch {
      // keep the side effects' error
    }
    throw err;
  }
  return true;
}

module.exports = { oncePerEvent, PROCESSED_EVENTS_DDL };
