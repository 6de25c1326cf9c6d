"""A catalogue served by Flask on psycopg2: SQL built with f-strings from the query string."""
import os

import psycopg2
from flask import Flask, jsonify, request

app = Flask(__name__)
conn = psycopg2.connect(os.environ["DATABASE_URL"])
conn.autocommit = True


@app.get("/products")
def products():
    category = request.args.get("category", "")
    with conn.cursor() as cur:
        cur.execute(f"SELECT id, name FROM products WHERE released AND category = '{category}' ORDER BY id")
        return jsonify([list(r) for r in cur.fetchall()])


@app.get("/users")
def users():
    name = request.args.get("name", "")
    with conn.cursor() as cur:
        cur.execute("SELECT id, name FROM users WHERE name = '%s' ORDER BY id" % name)
        return jsonify([list(r) for r in cur.fetchall()])
