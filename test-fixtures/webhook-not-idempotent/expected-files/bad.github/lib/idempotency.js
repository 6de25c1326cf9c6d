// Runs a webhook's side effects at most once per event id.
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

const PROCESSED_EVENTS_DDL = `CREATE TABLE IF NOT EXISTS processed_events (
  event_id text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
)`;

// Lock and create in one simple-protocol query: they run in one transaction even in autocommit
// mode, so concurrent first deliveries wait for each other instead of racing on the catalog.
const CREATE_TABLE = `SELECT pg_advisory_xact_lock(hashtext('processed_events'));
${PROCESSED_EVENTS_DDL}`;

const tables = new WeakMap();

function ensureTable(db) {
  let ready = tables.get(db);
  if (!ready) {
    ready = db.query(CREATE_TABLE).then(
      () => undefined,
      (err) => {
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
 * Calls `fn` unless `eventId` was already claimed. Resolves to true when `fn` ran and to
 * false for a duplicate delivery.
 */
async function oncePerEvent(db, eventId, fn) {
  if (!eventId) throw new Error('oncePerEvent needs the event id');
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

module.exports = { oncePerEvent, PROCESSED_EVENTS_DDL };
