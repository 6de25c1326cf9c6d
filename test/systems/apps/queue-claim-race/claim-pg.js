// A job worker's claim step, as assistants write it: take the oldest pending job, then mark it
// running. The pool is handed in by the worker that runs it.
async function claimNextJob(pool) {
  const { rows } = await pool.query("SELECT id, payload FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1");
  const job = rows[0];
  if (!job) return null;
  await pool.query("UPDATE jobs SET status = 'running' WHERE id = $1", [job.id]);
  return job;
}

module.exports = { claimNextJob };
