"""Runs a webhook's side effects at most once per event id.

Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response is
slow or fails, sometimes while the first delivery is still running. A unique key on the event id
lets exactly one delivery claim it, so concurrent and later duplicates skip the side effects:

    with once_per_event(db, event["id"]) as first_delivery:
        if first_delivery:
            ...side effects...

The claim is committed before the side effects run and released when they raise, so the
provider's retry runs them again. A process that dies between the two leaves the id claimed and
the event is not re-run: reconcile from the provider's event log if that matters.
"""
from contextlib import contextmanager

PROCESSED_EVENTS_DDL = """CREATE TABLE IF NOT EXISTS processed_events (
    event_id VARCHAR(255) PRIMARY KEY,
    processed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
)"""

_table_ready = False


@contextmanager
def once_per_event(db, event_id):
    """Yields True for the first delivery of event_id and False for a duplicate.

    db is a psycopg/psycopg2 connection or cursor (PostgreSQL), or a SQLAlchemy session or
    connection. The table is created on first use; run PROCESSED_EVENTS_DDL in a migration instead
    when the application's database role may not create tables.
    """
    if not event_id:
        raise ValueError("once_per_event needs the event id")
    store = _SqlAlchemyStore(db) if hasattr(db, "get_bind") or hasattr(db, "begin_nested") else _DbApiStore(db)
    if not store.claim(str(event_id)):
        yield False
        return
    try:
        yield True
    except BaseException:
        # Release the claim so the provider's retry runs the side effects again.
        store.release(str(event_id))
        raise


class _DbApiStore:
    """psycopg/psycopg2 on PostgreSQL: INSERT ... ON CONFLICT DO NOTHING claims atomically."""

    def __init__(self, db):
        # A cursor knows its connection; a connection is its own.
        self.conn = getattr(db, "connection", db)

    def _run(self, sql, params=()):
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            count = cur.rowcount
        self.conn.commit()
        return count

    def claim(self, event_id):
        global _table_ready
        if not _table_ready:
            # The advisory lock keeps concurrent first deliveries from racing on the catalog.
            with self.conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(hashtext('processed_events'))")
                cur.execute(PROCESSED_EVENTS_DDL)
            self.conn.commit()
            _table_ready = True
        return self._run("INSERT INTO processed_events (event_id) VALUES (%s) ON CONFLICT (event_id) DO NOTHING", (event_id,)) == 1

    def release(self, event_id):
        self.conn.rollback()
        self._run("DELETE FROM processed_events WHERE event_id = %s", (event_id,))


class _SqlAlchemyStore:
    """SQLAlchemy: the primary key rejects a second insert of the same id (IntegrityError)."""

    def __init__(self, db):
        self.db = db

    def claim(self, event_id):
        from sqlalchemy import text
        from sqlalchemy.exc import IntegrityError

        global _table_ready
        if not _table_ready:
            self._create_table()
            _table_ready = True
        try:
            self.db.execute(text("INSERT INTO processed_events (event_id) VALUES (:event_id)"), {"event_id": event_id})
            self.db.commit()
        except IntegrityError:
            self.db.rollback()
            return False
        return True

    def release(self, event_id):
        from sqlalchemy import text

        self.db.rollback()
        self.db.execute(text("DELETE FROM processed_events WHERE event_id = :event_id"), {"event_id": event_id})
        self.db.commit()

    def _create_table(self):
        from sqlalchemy import inspect, text
        from sqlalchemy.exc import DBAPIError

        bind = self.db.get_bind() if hasattr(self.db, "get_bind") else self.db.engine
        try:
            with bind.begin() as conn:
                conn.execute(text(PROCESSED_EVENTS_DDL))
        except DBAPIError:
            # Created at the same moment by a concurrent first delivery.
            if not inspect(bind).has_table("processed_events"):
                raise
