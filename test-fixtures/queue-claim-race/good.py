from django.db import transaction
from sqlalchemy import select

from myapp.models import Job, Payout


def claim_with_skip_locked(conn):
    with conn:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM jobs WHERE status = 'pending' LIMIT 1 FOR UPDATE SKIP LOCKED")
            row = cur.fetchone()
            if row:
                cur.execute("UPDATE jobs SET status = 'running' WHERE id = %s", (row[0],))
            return row


def claim_atomically(cur):
    cur.execute(
        "UPDATE jobs SET status = 'running' WHERE id = (SELECT id FROM jobs WHERE status = 'pending' "
        "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload"
    )
    return cur.fetchone()


def claim_django():
    with transaction.atomic():
        payout = Payout.objects.select_for_update(skip_locked=True).filter(status="pending").first()
        if payout:
            payout.status = "processing"
            payout.save()
        return payout


def claim_sqlalchemy(session):
    job = session.execute(select(Job).where(Job.status == "pending").limit(1).with_for_update(skip_locked=True)).scalar()
    if job:
        job.status = "running"
        session.commit()
    return job


def claim_compare_and_set(session, job_id):
    updated = Job.objects.filter(id=job_id, status="pending").update(status="running")
    return updated == 1
