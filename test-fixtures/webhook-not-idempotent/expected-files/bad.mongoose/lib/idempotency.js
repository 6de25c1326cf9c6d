// Runs a webhook's side effects at most once per event id (mongoose).
//
// Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response
// is slow or fails, sometimes while the first delivery is still running. A unique key on the
// event id lets exactly one delivery claim it, so concurrent and later duplicates skip the side
// effects. The claim is taken before the side effects run and released when they throw, so the
// provider's retry runs them again. A process that dies between the two leaves the id claimed
// and the event is not re-run: reconcile from the provider's event log if that matters.
//
// The processed_events collection has a unique index on eventId: of concurrent deliveries exactly
// one inserts the document and the others get the duplicate-key error (11000).

const mongoose = require('mongoose');

const processedEventSchema = new mongoose.Schema(
  {
    eventId: { type: String, required: true, unique: true },
    processedAt: { type: Date, default: Date.now },
  },
  { collection: 'processed_events' },
);

const ProcessedEvent = mongoose.models.ProcessedEvent || mongoose.model('ProcessedEvent', processedEventSchema);

async function claim(eventId) {
  // Builds the unique index before the first claim relies on it.
  await ProcessedEvent.init();
  try {
    await ProcessedEvent.create({ eventId });
    return true;
  } catch (err) {
    if (err.code === 11000) return false;
    throw err;
  }
}

/**
 * Calls `fn` unless `eventId` was already claimed. Resolves to true when `fn` ran and to
 * false for a duplicate delivery.
 */
async function oncePerEvent(eventId, fn) {
  if (!eventId) throw new Error('oncePerEvent needs the event id');
  const id = String(eventId);
  const claimed = await claim(id);
  if (!claimed) return false;
  try {
    await fn();
  } catch (err) {
    // Release the claim so the provider's retry runs the side effects again. If releasing fails
    // too, the side effects' error is the one worth reporting.
    try {
      await ProcessedEvent.deleteOne({ eventId: id });
    } catch {
      // keep the side effects' error
    }
    throw err;
  }
  return true;
}

module.exports = { oncePerEvent, ProcessedEvent };
