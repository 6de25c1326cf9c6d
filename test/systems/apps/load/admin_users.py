import os
import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/admin/users")
def list_users():
    conn = sqlite3.connect(os.environ["USERS_DB"])
    rows = conn.execute("SELECT id, email FROM users ORDER BY id").fetchall()
    return jsonify([{"id": r[0], "email": r[1]} for r in rows])
