// Deliveries repeat; the unique key on webhook_events makes exactly one of them run `work`.
export async function runOnce(eventId, pool, work) {
  const claim = await pool.query('INSERT INTO webhook_events (id) VALUES ($1) ON CONFLICT DO NOTHING', [eventId]);
  if (claim.rowCount === 0) return false;
  try {
    await work();
    return true;
  } catch (err) {
    await pool.query('DELETE FROM webhook_events WHERE id = $1', [eventId]);
    throw err;
  }
}
