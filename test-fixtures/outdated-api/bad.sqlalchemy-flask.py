from flask import Flask, jsonify
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine("postgresql+psycopg2://app@db/app")


@app.before_first_request  # expect: outdated-api
def warm_cache():
    engine.execute(text("SELECT 1"))  # expect: outdated-api


@app.get("/orders/count")
def order_count():
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM orders")).scalar()
    return jsonify(total=total)
