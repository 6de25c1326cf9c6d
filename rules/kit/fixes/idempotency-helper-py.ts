// The Python idempotency helper the guard fix calls: `with once_per_event(db, event_id) as first:`
// for psycopg/psycopg2 connections and SQLAlchemy sessions (one module serves both), and the
// Django variant backed by a model with a unique event id, its model class and its migration.

export const PY_HELPER_NAME = 'once_per_event';
export const PY_HELPER_MODULE = 'idempotency';

const HEADER = `"""Runs a webhook's side effects at most once per event id.

Providers deliver at least once: Stripe, GitHub and Svix send an event again when the response is
slow or fails, sometimes while the first delivery is still running. A unique key on the event id
lets exactly one delivery claim it, so concurrent and later duplicates skip the side effects:

    with once_per_event(db, event["id"]) as first_delivery:
        if first_delivery:
            ...side effects...

The claim is committed before the side effects run and released when they raise, so the
provider's retry runs them again. A process that dies between the two leaves the id claimed and
the event is not re-run: reconcile from the provider's event log if that matters.
"""`;

/** The context manager's body once the claim is made: skip duplicates, release on failure. */
function guardBody(claimed: string, release: string): string {
  return `    if not ${claimed}:
        yield False
        return
    try:
        yield True
    except BaseException:
        # Release the claim so the provider's retry runs the side effects again.
        ${release}
        raise`;
}

/**
 * The module for a psycopg/psycopg2 connection (or cursor) on PostgreSQL and for a SQLAlchemy
 * session (or connection) on any database SQLAlchemy speaks.
 */
export function pyHelperSource(): string {
  return `${HEADER}
from contextlib import contextmanager

PROCESSED_EVENTS_DDL = """CREATE TABLE IF NOT EXISTS processed_events (
    event_id VARCHAR(255) PRIMARY KEY,
    processed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
)"""

_table_ready = False


@contextmanager
def ${PY_HELPER_NAME}(db, event_id):
    """Yields True for the first delivery of event_id and False for a duplicate.

    db is a psycopg/psycopg2 connection or cursor (PostgreSQL), or a SQLAlchemy session or
    connection. The table is created on first use; run PROCESSED_EVENTS_DDL in a migration instead
    when the application's database role may not create tables.
    """
    if not event_id:
        raise ValueError("${PY_HELPER_NAME} needs the event id")
    store = _SqlAlchemyStore(db) if hasattr(db, "get_bind") or hasattr(db, "begin_nested") else _DbApiStore(db)
${guardBody('store.claim(str(event_id))', 'store.release(str(event_id))')}


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
`;
}

/** The Django helper: the model's unique event id makes `get_or_create` claim atomically. */
export function djangoHelperSource(): string {
  return `${HEADER.replace('with once_per_event(db, event["id"])', 'with once_per_event(event["id"])')}
from contextlib import contextmanager

from .models import ProcessedEvent


@contextmanager
def ${PY_HELPER_NAME}(event_id):
    """Yields True for the first delivery of event_id and False for a duplicate."""
    if not event_id:
        raise ValueError("${PY_HELPER_NAME} needs the event id")
    # get_or_create on a unique field: of concurrent deliveries exactly one creates the row.
    _, created = ProcessedEvent.objects.get_or_create(event_id=str(event_id))
${guardBody('created', 'ProcessedEvent.objects.filter(event_id=str(event_id)).delete()')}
`;
}

/** The model appended to the app's models.py. */
export function djangoModelSource(): string {
  return `

class ProcessedEvent(models.Model):
    """A webhook event id claimed by once_per_event (idempotency.py); the unique key lets one delivery run."""

    id = models.BigAutoField(primary_key=True)
    event_id = models.CharField(max_length=255, unique=True)
    processed_at = models.DateTimeField(auto_now_add=True)
`;
}

/** The migration creating ProcessedEvent after the app's latest one. */
export function djangoMigrationSource(appLabel: string, latest: string | undefined): string {
  const deps = latest ? `[("${appLabel}", "${latest}")]` : '[]';
  return `from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = ${deps}

    operations = [
        migrations.CreateModel(
            name="ProcessedEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("event_id", models.CharField(max_length=255, unique=True)),
                ("processed_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
`;
}

/** Whether an existing module already offers the helper (a `once_per_event` context manager). */
export function recognisePyHelper(text: string, django: boolean): boolean {
  const m = /@contextmanager\s*\n\s*def\s+once_per_event\s*\(([^)]*)\)/.exec(text);
  if (!m) return false;
  const params = m[1].split(',').map((p) => p.trim()).filter(Boolean);
  return params.length === (django ? 1 : 2);
}
