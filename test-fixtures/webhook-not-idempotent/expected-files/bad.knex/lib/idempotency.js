// Runs a webhook's side effects at most once per event id (Knex).
//
// Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response
// is slow or fails, sometimes while the first delivery is still running. A unique key on the
// event id lets exactly one delivery claim it, so concurrent and later duplicates skip the side
// effects. The claim is taken before the side effects run and released when they throw, so the
// provider's retry runs them again. A process that dies between the two leaves the id claimed
// and the event is not re-run: reconcile from the provider's event log if that matters.
//
// The primary key rejects a second insert of the same id. The insert runs in a transaction of
// its own (a savepoint when db is a transaction), so a rejected duplicate leaves the caller's
// transaction usable; PostgreSQL, MySQL/MariaDB and SQLite report the duplicate differently.
// The table is created on first use; create it in a migration instead when the application's
// database user may not create tables.

const tables = new WeakMap();

async function createTable(db) {
  if (await db.schema.hasTable('processed_events')) return;
  try {
    await db.schema.createTable('processed_events', (t) => {
      t.string('event_id', 255).primary();
      t.timestamp('processed_at').notNullable().defaultTo(db.fn.now());
    });
  } catch (err) {
    // Created at the same moment by a concurrent first delivery.
    if (!(await db.schema.hasTable('processed_events'))) throw err;
  }
}

function isDuplicate(err) {
  const code = err?.code ?? '';
  return code === '23505' || code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT');
}

async function claim(db, eventId) {
  let ready = tables.get(db);
  if (!ready) {
    ready = createTable(db).catch((err) => {
      tables.delete(db);
      throw err;
    });
    tables.set(db, ready);
  }
  await ready;
  try {
    await db.transaction((t) => t('processed_events').insert({ event_id: eventId }));
    return true;
  } catch (err) {
    if (isDuplicate(err)) return false;
    throw err;
  }
}

/**
 * Calls `fn` unless `eventId` was already claimed. Resolves to true when `fn` ran and to
 * false for a duplicate delivery.
 */
export async function oncePerEvent(db, eventId, fn) {
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
      await db('processed_events').where({ event_id: id }).del();
    } catch {
      // keep the side effects' error
    }
    throw err;
  }
  return true;
}
