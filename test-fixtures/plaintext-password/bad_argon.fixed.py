import argon2
from argon2 import PasswordHasher
from flask import Flask, request


def password_matches(stored_hash, password):
    """Checks a password against its argon2 hash; a mismatch or a value that is not a hash is False."""
    try:
        return argon2.PasswordHasher().verify(stored_hash, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False


app = Flask(__name__)
hasher = PasswordHasher()


# The app hashes new accounts with argon2, but an old admin login still compares in the clear.
@app.post("/admin/login")
def admin_login():
    admin = Admin.query.filter_by(name=request.form["name"]).first()
    if admin is None or not password_matches(admin.password, request.form["password"]):  # expect: plaintext-password
        return "invalid credentials", 401
    return {"id": admin.id}
# vibeguard-disable-file missing-rate-limit -- this fixture is about plaintext-password; missing-rate-limit has fixtures of its own
