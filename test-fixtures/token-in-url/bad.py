import os
from datetime import datetime, timedelta, timezone

import jwt
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


def issue_token(user_id):
    payload = {"sub": user_id, "exp": datetime.now(timezone.utc) + timedelta(hours=1)}
    return jwt.encode(payload, os.environ["JWT_SECRET"], algorithm="HS256")


@app.get("/auth/callback")
def oauth_callback():
    user_id = finish_oauth(request.args["code"], request.args["state"])
    token = issue_token(user_id)
    return redirect(f"/app#access_token={token}")  # expect: token-in-url


@app.get("/sso/complete")
def sso_complete():
    access_token = issue_token(current_user_id())
    return redirect(url_for("dashboard", access_token=access_token, tab="home"))  # expect: token-in-url


@app.get("/sessions/resume")
def resume():
    session_token = create_session_token(current_user_id())
    return redirect("/app?lang=en&session_token=" + session_token)  # expect: token-in-url


@app.get("/app/dashboard")
def dashboard():
    return "ok"
