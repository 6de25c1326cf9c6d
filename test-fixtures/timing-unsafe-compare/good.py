import hashlib
import hmac
import os

from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/hooks/ci")
def ci_hook():
    expected = hmac.new(os.environ["CI_SECRET"].encode(), request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-CI-Signature", ""), expected):
        abort(401)
    return "", 204


@app.post("/session/refresh")
def refresh():
    token = request.json.get("refresh_token")
    if token is None or token == "":
        abort(400)
    if request.json.get("token_type") != "refresh":
        abort(400)
    if len(token) != 64:
        abort(400)
    return "", 204


@app.get("/feed")
def feed():
    if request.args.get("next_page_token") == request.args.get("prev_page_token"):
        return {"items": []}
    return {"items": [1, 2, 3]}


@app.post("/signup")
def signup():
    if request.form["password"] != request.form["password_confirmation"]:
        abort(400)
    return "", 201


@app.get("/orders/<order_id>")
def order(order_id):
    if order_id != request.args.get("expected_id"):
        abort(404)
    return {"id": order_id}


# Both sides come from the request (the key read in one branch, the project it already selected).
@app.get("/projects/readonly")
def readonly_flag():
    if "X-Api-Key" in request.headers:
        api_key = request.headers["X-Api-Key"]
    else:
        api_key = ""
    return {"readonly": api_key == request.project.api_key_readonly}
# vibeguard-disable-file missing-rate-limit -- this fixture is about timing-unsafe-compare; missing-rate-limit has fixtures of its own
