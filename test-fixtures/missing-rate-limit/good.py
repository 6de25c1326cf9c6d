from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
# Default limits apply to every route of the app.
limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day", "50 per hour"])


@app.post("/login")
def login():
    return check_password(request.form["email"], request.form["password"])


@app.post("/register")
def register():
    return create_user(request.form["email"], request.form["password"])


# An action on a resource, not on an account's credentials.
@app.post("/events/<slug>/register")
def register_for_event(slug):
    return add_attendee(slug, request.form)
# vibeguard-disable-file missing-input-validation -- this fixture is about missing-rate-limit; missing-input-validation has fixtures of its own
