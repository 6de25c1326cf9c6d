"""A catalogue served by Flask on SQLAlchemy: text() built with f-strings from the query string."""
import os

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"])


@app.get("/products")
def products():
    category = request.args.get("category", "")
    with engine.connect() as db:
        rows = db.execute(text(f"SELECT id, name FROM products WHERE released AND category = '{category}' ORDER BY id")).fetchall()
    return jsonify([list(r) for r in rows])


@app.get("/users")
def users():
    name = request.args.get("name", "")
    with engine.connect() as db:
        rows = db.execute(text(f"SELECT id, name FROM users WHERE name = '{name}' ORDER BY id")).fetchall()
    return jsonify([list(r) for r in rows])
