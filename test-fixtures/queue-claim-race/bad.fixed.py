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


def next_export(session):
    from sqlalchemy import select

    from myapp.models import Export

    export = session.execute(select(Export).where(Export.status == "queued").order_by(Export.id).limit(1)).scalar_one_or_none()  # expect: queue-claim-race
    if export is not None:
        export.status = "running"
        session.commit()
    return export
