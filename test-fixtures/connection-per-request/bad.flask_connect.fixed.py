import os

import psycopg2
import psycopg2.pool
from flask import Flask

app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]
db_pool = psycopg2.pool.ThreadedConnectionPool(1, 10, DATABASE_URL, sslmode="require")


# A connection per request, never closed: the server runs out of connections under load.
@app.route("/signup")
def signup():
    try:
        con = db_pool.getconn()  # expect: connection-per-request
        try:
            cur = con.cursor()
            cur.execute("INSERT INTO users (name) VALUES ('bob')")
            con.commit()
            return "created"
        finally:
            db_pool.putconn(con)
    except Exception as e:
        return str(e), 500


# Closed, but only when nothing failed before.
@app.route("/users")
def users():
    con = db_pool.getconn()  # expect: connection-per-request
    try:
        cur = con.cursor()
        cur.execute("SELECT name FROM users")
        rows = cur.fetchall()
        return str(rows)
    finally:
        db_pool.putconn(con)
# vibeguard-disable-file unbounded-query -- this fixture is about connection-per-request; unbounded-query has fixtures of its own
