import sqlite3

from flask import Flask, request
from sqlalchemy import text

app = Flask(__name__)
conn = sqlite3.connect("app.db", check_same_thread=False)
COLUMNS = {"name": "name", "created": "created_at"}
TABLE = "users"


@app.route("/users")
def find_user():
    email = request.args.get("email")
    row = conn.execute("SELECT id FROM users WHERE email = ?", (email,)).fetchone()
    total = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
    return {"user": row, "total": total}


@app.route("/sorted")
def sorted_users():
    column = COLUMNS.get(request.args.get("sort"), "id")
    column = COLUMNS[request.args["sort"]] if request.args.get("sort") in COLUMNS else "id"
    rows = conn.execute(f"SELECT * FROM users ORDER BY {column} LIMIT 50").fetchall()
    return {"rows": rows}


def by_id(session, user_id):
    return session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": user_id}).fetchone()


def paged(limit):
    return conn.execute(f"SELECT * FROM users LIMIT {int(limit)}").fetchall()


def message(name):
    return "Please select a value from the list, %s" % name
