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
    response = redirect("/app")
    response.set_cookie("access_token", token, httponly=True, secure=True, samesite="Lax")
    return response  # expect: token-in-url


@app.get("/sso/complete")
def sso_complete():
    access_token = issue_token(current_user_id())
    response = redirect(url_for("dashboard", tab="home"))
    response.set_cookie("access_token", access_token, httponly=True, secure=True, samesite="Lax")
    return response  # expect: token-in-url


@app.get("/sessions/resume")
def resume():
    session_token = create_session_token(current_user_id())
    response = redirect("/app?lang=en")
    response.set_cookie("session_token", session_token, httponly=True, secure=True, samesite="Lax")
    return response  # expect: token-in-url


@app.get("/app/dashboard")
def dashboard():
    return "ok"
