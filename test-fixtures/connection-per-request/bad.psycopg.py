import os

import psycopg2
from fastapi import Depends, FastAPI
from psycopg2.pool import ThreadedConnectionPool

app = FastAPI()
DSN = os.environ["DATABASE_URL"]
pool = ThreadedConnectionPool(1, 10, DSN)


def get_conn():
    conn = psycopg2.connect(os.environ["REPLICA_URL"])  # expect: connection-per-request
    try:
        yield conn
    finally:
        conn.close()


@app.get("/orders/{order_id}")
def read_order(order_id: int, conn=Depends(get_conn)):
    with conn.cursor() as cur:
        cur.execute("SELECT id, total FROM orders WHERE id = %s", (order_id,))
        return cur.fetchone()


@app.get("/products/{product_id}")
def read_product(product_id: int):
    conn = psycopg2.connect(DSN)  # expect: connection-per-request
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id, name FROM products WHERE id = %s", (product_id,))
            return cur.fetchone()
    finally:
        conn.close()
