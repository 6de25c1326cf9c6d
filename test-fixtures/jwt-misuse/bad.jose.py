import os

from flask import Flask, g, request
from jose import jwt

app = Flask(__name__)


@app.before_request
def load_user():
    token = request.headers.get("Authorization", "").split(" ")[-1]
    claims = jwt.get_unverified_claims(token)  # expect: jwt-misuse
    g.user_id = claims["sub"]


def issue_token(user_id):
    return jwt.encode({"sub": user_id, "exp": expiry()}, os.environ["AUTH_SECRET"], algorithm="HS512")
