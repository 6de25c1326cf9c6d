// Runs a webhook's side effects at most once per event id (Prisma).
//
// Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response
// is slow or fails, sometimes while the first delivery is still running. A unique key on the
// event id lets exactly one delivery claim it, so concurrent and later duplicates skip the side
// effects. The claim is taken before the side effects run and released when they throw, so the
// provider's retry runs them again. A process that dies between the two leaves the id claimed
// and the event is not re-run: reconcile from the provider's event log if that matters.
//
// The ProcessedEvent model (schema.prisma) keys on the event id: of concurrent deliveries exactly
// one creates the row and the others get P2002 (unique constraint failed). Pass the Prisma client,
// or the transaction client of an interactive transaction.


/**
 * Calls `fn` unless `eventId` was already claimed. Resolves to true when `fn` ran and to
 * false for a duplicate delivery.
 */
async function oncePerEvent(db, eventId, fn) {
  if (!eventId) throw new Error('oncePerEvent needs the event id');
  const id = String(eventId);
  const claimed = await db.processedEvent.create({ data: { eventId: id } }).then(
    () => true,
    (err) => {
      if (err?.code === 'P2002') return false;
      throw err;
    },
  );
  if (!claimed) return false;
  try {
    await fn();
  } catch (err) {
    // Release the claim so the provider's retry runs the side effects again. If releasing fails
    // too, the side effects' error is the one worth reporting.
    try {
      await db.processedEvent.delete({ where: { eventId: id } });
    } catch {
      // keep the side effects' error
    }
    throw err;
  }
  return true;
}

module.exports = { oncePerEvent };
