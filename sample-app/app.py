"""Catalog service: product search and product pages for the storefront.

Runs next to the Node API and reads the same Postgres database.
"""
import os

import psycopg2
from flask import Flask, abort, jsonify, request
from psycopg2.extras import RealDictCursor
from psycopg2.pool import SimpleConnectionPool

app = Flask(__name__)
app.config["SECRET_KEY"] = "8f42a73054b1749f8f58848be5e6502c"

DATABASE_URL = os.environ["DATABASE_URL"]

# Shared pool for the product pages, created once at startup.
db_pool = SimpleConnectionPool(minconn=1, maxconn=10, dsn=DATABASE_URL)


@app.get("/health")
def health():
    return jsonify(ok=True)


@app.get("/api/products/search")
def search_products():
    """Search active products by name, e.g. /api/products/search?q=mug"""
    q = request.args.get("q", "")
    conn = psycopg2.connect(DATABASE_URL)
    try:
        with conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute(f"SELECT id, name, price_cents FROM products WHERE active AND name ILIKE '%{q}%' ORDER BY name LIMIT 20")
            return jsonify(products=cur.fetchall())
    finally:
        conn.close()


@app.get("/api/products/featured")
def featured_products():
    conn = db_pool.getconn()
    try:
        with conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute("SELECT id, name, price_cents FROM products WHERE active AND featured ORDER BY name LIMIT 12")
            return jsonify(products=cur.fetchall())
    finally:
        db_pool.putconn(conn)


@app.get("/api/products/<product_id>")
def get_product(product_id):
    conn = db_pool.getconn()
    try:
        with conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute("SELECT id, name, description, price_cents FROM products WHERE id = %s AND active", (product_id,))
            product = cur.fetchone()
    finally:
        db_pool.putconn(conn)

    if product is None:
        abort(404)
    return jsonify(product)


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "5000")))
