# A Flask password login: the app has a Limiter, but the login route was left without a limit.
from flask import Flask, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")

PASSWORDS = {"ada@example.com": "correct horse battery staple"}


@app.post("/login")
def login():
    if PASSWORDS.get(request.json["email"]) != request.json["password"]:
        return jsonify(error="invalid credentials"), 401
    return jsonify(ok=True)
