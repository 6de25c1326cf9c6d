# A Flask shop API: orders need the bearer token, the refunds route was added without the decorator.
import os
from functools import wraps

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("Authorization") != "Bearer " + os.environ["API_TOKEN"]:
            abort(401)
        return view(*args, **kwargs)

    return wrapper


@app.get("/orders")
@login_required
def orders():
    return jsonify([{"id": 7, "total": 4200}])


@app.post("/admin/refunds")
def refund():
    return jsonify(refunded=request.json["orderId"])
