import os

import psycopg2
from flask import Flask

app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]


# A connection per request, never closed: the server runs out of connections under load.
@app.route("/signup")
def signup():
    try:
        con = psycopg2.connect(DATABASE_URL, sslmode="require")  # expect: connection-per-request
        cur = con.cursor()
        cur.execute("INSERT INTO users (name) VALUES ('bob')")
        con.commit()
        return "created"
    except Exception as e:
        return str(e), 500


# Closed, but only when nothing failed before.
@app.route("/users")
def users():
    con = psycopg2.connect(DATABASE_URL, sslmode="require")  # expect: connection-per-request
    cur = con.cursor()
    cur.execute("SELECT name FROM users")
    rows = cur.fetchall()
    con.close()
    return str(rows)
# vibeguard-disable-file unbounded-query -- this fixture is about connection-per-request; unbounded-query has fixtures of its own
