from argon2 import PasswordHasher
from flask import Flask, request

app = Flask(__name__)
hasher = PasswordHasher()


# The app hashes new accounts with argon2, but an old admin login still compares in the clear.
@app.post("/admin/login")
def admin_login():
    admin = Admin.query.filter_by(name=request.form["name"]).first()
    if admin is None or admin.password != request.form["password"]:  # expect: plaintext-password
        return "invalid credentials", 401
    return {"id": admin.id}
# vibeguard-disable-file missing-rate-limit -- this fixture is about plaintext-password; missing-rate-limit has fixtures of its own
