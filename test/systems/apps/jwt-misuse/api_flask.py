"""A JSON API authenticating with JWTs (PyJWT), served by Flask: tokens are signed without an
expiry, and the current user is read with signature verification turned off."""
import os

import jwt
from flask import Flask, jsonify, request

app = Flask(__name__)

PASSWORDS = {"ada": "correct horse battery staple"}


@app.post("/login")
def login():
    body = request.get_json()
    if PASSWORDS.get(body.get("user")) != body.get("password"):
        return jsonify(error="invalid credentials"), 401
    token = jwt.encode({"sub": body["user"], "role": "member"}, os.environ["JWT_SECRET"], algorithm="HS256")
    return jsonify(token=token)


def current_user():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None


@app.get("/me")
def me():
    claims = current_user()
    if not claims:
        return jsonify(error="unauthenticated"), 401
    return jsonify(sub=claims["sub"], role=claims.get("role"))
