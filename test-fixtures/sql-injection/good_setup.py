# Setup and reporting scripts: identifiers from the operator's settings or from constant lists,
# and a placeholder list sized by a count. None of it carries text from a request.
import os

import psycopg2
from django.conf import settings

TABLES = ["members", "trips", "payments"]
STATUS_COLUMNS = [("members", "status"), ("trips", "state")]


def survey():
    conn = psycopg2.connect(os.environ["REPORT_DATABASE_URL"])
    out = {}
    with conn.cursor() as cur:
        for table in TABLES:
            cur.execute(f'SELECT count(*) FROM "{table}"')
            out[table] = cur.fetchone()[0]
        for table, column in STATUS_COLUMNS:
            cur.execute(f'SELECT "{column}", count(*) FROM "{table}" GROUP BY 1')
            out[f"{table}.{column}"] = cur.fetchall()
    return out


def create_database(admin_conn):
    admin_conn.execute(f'CREATE DATABASE "{settings.REPORTS_DB_NAME}"')


def by_ids(cur, ids):
    marks = ", ".join(["%s"] * len(ids))
    cur.execute(f"SELECT * FROM trips WHERE id IN ({marks})", ids)
    return cur.fetchall()
