"""Sign-in completion for a single-page app, served by Flask: the session token travels to the
SPA in the redirect URL, as assistants often write it. Tokens are signed with itsdangerous
(which ships with Flask)."""
import os

from flask import Flask, redirect, request, url_for
from itsdangerous import URLSafeTimedSerializer

app = Flask(__name__)

# Sign-in tickets handed out by the SSO portal (a real app checks them with the portal).
TICKETS = {"t-123": "user_42"}


def issue_token(user_id):
    return URLSafeTimedSerializer(os.environ["SESSION_SIGNING_KEY"]).dumps({"sub": user_id})


@app.get("/sso/complete")
def sso_complete():
    user_id = TICKETS.get(request.args.get("ticket", ""))
    if user_id is None:
        return "Unknown ticket", 401
    access_token = issue_token(user_id)
    return redirect(url_for("dashboard", access_token=access_token, tab="home"))


@app.get("/sessions/resume")
def resume():
    user_id = TICKETS.get(request.args.get("ticket", ""))
    if user_id is None:
        return "Unknown ticket", 401
    session_token = issue_token(user_id)
    return redirect("/app?lang=en&session_token=" + session_token)


@app.get("/app/dashboard")
def dashboard():
    return "ok"
