# A job worker's claim step over psycopg2, as assistants write it: select the oldest pending job,
# then mark it running in a second statement.
import psycopg2  # noqa: F401  (the connection is handed in by the worker)


def claim_next_job(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT id, payload FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1")
        job = cur.fetchone()
        if job is None:
            conn.commit()
            return None
        cur.execute("UPDATE jobs SET status = 'running' WHERE id = %s", (job[0],))
    conn.commit()
    return job
