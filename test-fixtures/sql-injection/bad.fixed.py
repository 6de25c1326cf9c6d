import sqlite3

from flask import Flask, request

app = Flask(__name__)
conn = sqlite3.connect("app.db", check_same_thread=False)


@app.route("/users")
def find_user():
    email = request.args.get("email")
    row = conn.execute("SELECT id, name FROM users WHERE email = ?", (email,)).fetchone()  # expect: sql-injection
    return {"user": row}


@app.route("/orders/<order_id>")
def order(order_id):
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders WHERE id = ?", (order_id,))  # expect: sql-injection
    return {"order": cur.fetchone()}


def search(term):
    sql = "SELECT * FROM products WHERE name LIKE ?"
    return conn.execute(sql, (f"%{term}%",)).fetchall()  # expect: sql-injection
