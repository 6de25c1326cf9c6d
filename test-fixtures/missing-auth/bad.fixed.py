from flask import Flask, jsonify
from flask_login import login_required

app = Flask(__name__)


@app.get("/orders")
@login_required
def orders():
    return jsonify(list_orders())


@app.post("/admin/users/<int:user_id>/promote")  # expect: missing-auth
@login_required
def promote(user_id):
    make_admin(user_id)
    return jsonify(ok=True)


@app.route("/users/<int:user_id>", methods=["DELETE"])  # expect: missing-auth
@login_required
def delete_user(user_id):
    remove_user(user_id)
    return "", 204


@app.get("/health")
def health():
    return "ok"


@app.get("/login")
def login():
    return start_session()
# vibeguard-disable-file missing-rate-limit -- this fixture is about missing-auth; missing-rate-limit has fixtures of its own
