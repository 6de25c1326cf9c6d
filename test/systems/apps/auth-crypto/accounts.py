# Sign-up stores the password as it came; login compares it with !=.
import sqlite3

from flask import Flask, request

app = Flask(__name__)


def db():
    conn = sqlite3.connect("accounts.db")
    conn.row_factory = sqlite3.Row
    return conn


@app.post("/signup")
def signup():
    data = request.get_json()
    with db() as conn:
        conn.execute("INSERT INTO accounts (email, password) VALUES (?, ?)", (data["email"], data["password"]))
    return "", 201


@app.post("/login")
def login():
    data = request.get_json()
    password = data["password"]
    with db() as conn:
        row = conn.execute("SELECT id, password FROM accounts WHERE email = ?", (data["email"],)).fetchone()
    if row is None or row["password"] != password:
        return {"error": "invalid credentials"}, 401
    return {"id": row["id"]}


@app.get("/stored")
def stored():
    with db() as conn:
        return {"values": [r[0] for r in conn.execute("SELECT password FROM accounts")]}
