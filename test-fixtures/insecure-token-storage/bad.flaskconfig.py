from flask import Flask

app = Flask(__name__)
app.config["SESSION_COOKIE_SAMESITE"] = None  # expect: insecure-token-storage
app.config.update(
    SESSION_COOKIE_SECURE=False,  # expect: insecure-token-storage
    PERMANENT_SESSION_LIFETIME=3600,
)
