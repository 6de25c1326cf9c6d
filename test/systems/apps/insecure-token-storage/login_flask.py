"""Password sign-in that keeps the session in a cookie, served by Flask: the session cookie goes out
without HttpOnly, Secure and SameSite, as assistants often write it."""
import secrets

from flask import Flask, jsonify, make_response, request

app = Flask(__name__)

PASSWORDS = {"ada@example.com": "correct horse battery staple"}
SESSIONS = {}


@app.post("/login")
def login():
    body = request.get_json()
    if PASSWORDS.get(body.get("email")) != body.get("password"):
        return jsonify(error="invalid credentials"), 401
    session_token = secrets.token_hex(32)
    SESSIONS[session_token] = body["email"]
    response = make_response(jsonify(ok=True, email=body["email"]))
    response.set_cookie("session_token", session_token)
    response.set_cookie("lang", "en")
    return response


@app.get("/me")
def me():
    email = SESSIONS.get(request.cookies.get("session_token", ""))
    if email is None:
        return jsonify(error="not signed in"), 401
    return jsonify(email=email)
