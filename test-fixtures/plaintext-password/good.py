import bcrypt
from argon2 import PasswordHasher
from flask import Flask, request

app = Flask(__name__)
hasher = PasswordHasher()


@app.post("/signup")
def signup():
    password = request.form["password"]
    if password != request.form["password_confirmation"]:
        return "passwords differ", 400
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(12)).decode()
    db.execute("INSERT INTO users (email, password_hash) VALUES (?, ?)", (request.form["email"], hashed))
    return "", 201


@app.post("/login")
def login():
    user = find_user(request.form["email"])
    if user is None or not bcrypt.checkpw(request.form["password"].encode(), user.password_hash.encode()):
        return "invalid credentials", 401
    return {"id": user.id}


@app.post("/login-argon")
def login_argon():
    user = find_user(request.form["email"])
    hasher.verify(user.password_hash, request.form["password"])
    return {"id": user.id}


def create_account(username, password):
    # Django's create_user hashes the password itself.
    return User.objects.create_user(username=username, password=password)
# vibeguard-disable-file missing-rate-limit -- this fixture is about plaintext-password; missing-rate-limit has fixtures of its own
