import os
import sqlite3
from functools import lru_cache

import psycopg2
from flask import Flask, g, jsonify
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

DATABASE_URL = os.environ["DATABASE_URL"]

# Module scope: one engine (and its pool) for the process.
engine = create_engine(DATABASE_URL, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine)


@lru_cache(maxsize=1)
def reporting_engine():
    return create_engine(os.environ["REPORTING_DATABASE_URL"])


_analytics_engine = None


def analytics_engine():
    global _analytics_engine
    if _analytics_engine is None:
        _analytics_engine = create_engine(os.environ["ANALYTICS_DATABASE_URL"])
    return _analytics_engine


def create_app():
    """Application factory: runs once at startup."""
    app = Flask(__name__)
    cache_engine = create_engine(os.environ["CACHE_DATABASE_URL"])

    @app.get("/orders/<int:order_id>")
    def get_order(order_id):
        with SessionLocal() as session:
            row = session.execute(text("SELECT id, total FROM orders WHERE id = :id"), {"id": order_id}).first()
        return jsonify(id=row.id, total=row.total)

    @app.get("/reports/daily")
    def daily():
        with reporting_engine().connect() as conn, analytics_engine().connect() as other:
            rows = conn.execute(text("SELECT day, revenue FROM daily_revenue WHERE day = current_date")).all()
            other.execute(text("SELECT 1"))
        return jsonify(days=[dict(r._mapping) for r in rows])

    @app.get("/cache/<key>")
    def cached(key):
        with cache_engine.connect() as conn:
            row = conn.execute(text("SELECT value FROM cache WHERE key = :key"), {"key": key}).first()
        return jsonify(value=row.value if row else None)

    # SQLite opens a file, not a server connection: one per request is the documented Flask pattern.
    @app.get("/notes/<int:note_id>")
    def note(note_id):
        if "db" not in g:
            g.db = sqlite3.connect(os.environ["NOTES_DB"])
        row = g.db.execute("SELECT id, body FROM notes WHERE id = ?", (note_id,)).fetchone()
        return jsonify(id=row[0], body=row[1])

    return app


def migrate():
    conn = psycopg2.connect(DATABASE_URL)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE INDEX IF NOT EXISTS orders_status_idx ON orders (status)")
    conn.close()


if __name__ == "__main__":
    migrate()
