from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app)


@app.post("/login")  # expect: missing-rate-limit
def login():
    return check_password(request.form["email"], request.form["password"])


@app.route("/reset-password", methods=["GET", "POST"])  # expect: missing-rate-limit
def reset_password():
    return handle_reset(request)


@app.post("/signup")
@limiter.limit("5 per hour")
def signup():
    return create_user(request.form["email"], request.form["password"])


@app.get("/account/login-history")
def login_history():
    return list_logins()
# vibeguard-disable-file missing-input-validation -- this fixture is about missing-rate-limit; missing-input-validation has fixtures of its own
