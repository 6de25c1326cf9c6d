import os

import redis
from celery import shared_task
from flask import Flask, jsonify
from sqlalchemy import create_engine, text

app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]


@app.get("/orders/<int:order_id>")
def get_order(order_id):
    engine = create_engine(DATABASE_URL)  # expect: connection-per-request
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT id, total FROM orders WHERE id = :id"), {"id": order_id}).first()
    finally:
        engine.dispose()
    return jsonify(id=row.id, total=row.total)


@app.get("/carts/<cart_id>")
def cart(cart_id):
    cache = redis.Redis.from_url(os.environ["REDIS_URL"])  # expect: connection-per-request
    return jsonify(items=[i.decode() for i in cache.lrange(f"cart:{cart_id}", 0, 49)])


@shared_task
def refresh_stats():
    with create_engine(DATABASE_URL, pool_size=1).begin() as conn:  # expect: connection-per-request
        conn.execute(text("REFRESH MATERIALIZED VIEW order_stats"))
