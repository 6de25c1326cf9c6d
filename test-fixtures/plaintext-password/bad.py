import hashlib
import sqlite3

from flask import Flask, request

app = Flask(__name__)


def db():
    return sqlite3.connect("app.db")


@app.post("/login")
def login():
    email = request.form["email"]
    password = request.form["password"]
    row = db().execute("SELECT id, password FROM users WHERE email = ?", (email,)).fetchone()
    if row is None or row["password"] != password:  # expect: plaintext-password
        return "invalid credentials", 401
    return {"id": row[0]}


@app.post("/signup")
def signup():
    password = request.form["password"]
    db().execute("INSERT INTO users (email, password) VALUES (?, ?)", (request.form["email"], password))  # expect: plaintext-password
    return "", 201


@app.post("/legacy-login")
def legacy_login():
    user = User.query.filter_by(email=request.json["email"]).first()
    if user.password_sha1 == hashlib.sha1(request.json["password"].encode()).hexdigest():  # expect: plaintext-password
        return {"id": user.id}
    return "invalid credentials", 401


@app.post("/register")
def register():
    data = request.get_json()
    user = User(email=data["email"], password=data["password"])  # expect: plaintext-password
    session.add(user)
    session.commit()
    return {"id": user.id}, 201


def store_password(conn, user_id, password):
    digest = hashlib.sha256(password.encode()).hexdigest()  # expect: plaintext-password
    conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (digest, user_id))
# vibeguard-disable-file missing-rate-limit -- this fixture is about plaintext-password; missing-rate-limit has fixtures of its own
