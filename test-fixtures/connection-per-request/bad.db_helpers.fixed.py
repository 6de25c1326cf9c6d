"""Query helpers the views import."""
import os

import psycopg2
import psycopg2.pool
from sqlalchemy import create_engine, text

DSN = os.environ["DATABASE_URL"]
db_pool = psycopg2.pool.ThreadedConnectionPool(1, 10, DSN)
engine = create_engine(DSN)  # expect: connection-per-request


def fetch_all(sql, params=()):
    conn = db_pool.getconn()  # expect: connection-per-request
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        db_pool.putconn(conn)


def count_open_orders():
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM orders WHERE status = 'open'")).scalar()
    return count


def main():
    """The maintenance entry point, run from a terminal."""
    engine = create_engine(DSN)
    with engine.begin() as conn:
        conn.execute(text("VACUUM ANALYZE orders"))
    engine.dispose()
