import os

import redis
from celery import shared_task
from flask import Flask, jsonify
from sqlalchemy import create_engine, text

cache = redis.Redis.from_url(os.environ["REDIS_URL"])  # expect: connection-per-request

app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]
engine = create_engine(DATABASE_URL)  # expect: connection-per-request
shared_engine = create_engine(DATABASE_URL, pool_size=1)


@app.get("/orders/<int:order_id>")
def get_order(order_id):
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, total FROM orders WHERE id = :id"), {"id": order_id}).first()
    return jsonify(id=row.id, total=row.total)


@app.get("/carts/<cart_id>")
def cart(cart_id):
    return jsonify(items=[i.decode() for i in cache.lrange(f"cart:{cart_id}", 0, 49)])


@shared_task
def refresh_stats():
    with shared_engine.begin() as conn:  # expect: connection-per-request
        conn.execute(text("REFRESH MATERIALIZED VIEW order_stats"))
