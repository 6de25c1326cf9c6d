import psycopg2

from myapp.billing import charge


def claim_next_job(conn):
    with conn.cursor() as cur:
        cur.execute("UPDATE jobs SET status = 'running' WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload")  # expect: queue-claim-race
        job = cur.fetchone()
        if job is None:
            return None
    conn.commit()
    return job


def run_django_worker():
    from myapp.models import Payout

    payout = Payout.objects.filter(status="pending").order_by("created_at").first()  # expect: queue-claim-race
    if payout is None:
        return
    payout.status = "processing"
    payout.save()
    charge(payout)
