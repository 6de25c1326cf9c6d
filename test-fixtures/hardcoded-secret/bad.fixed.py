"""Orders service: Flask API issuing its own session tokens."""
import datetime
import hashlib
import hmac
import os

import jwt
import psycopg2
import stripe
from flask import Flask
from sqlalchemy import create_engine

JWT_SECRET_2 = os.environ["JWT_SECRET_2"]
HMAC_SECRET = os.environ["HMAC_SECRET"]

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]  # expect: hardcoded-secret
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]  # expect: hardcoded-secret
ADMIN_TOKEN = os.environ["ADMIN_TOKEN"]  # expect: hardcoded-secret

analytics = create_engine(os.environ["DATABASE_URL"])  # expect: hardcoded-secret
conn = psycopg2.connect(host="db.internal", dbname="orders", user="orders", password=os.environ["DB_PASSWORD_2"])  # expect: hardcoded-secret


def issue_token(user_id):
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    return jwt.encode({"sub": user_id, "exp": expires}, JWT_SECRET_2, algorithm="HS256")  # expect: hardcoded-secret


def read_token(token):
    return jwt.decode(token, JWT_SECRET_2, algorithms=["HS256"])  # expect: hardcoded-secret


def sign_export(body):
    return hmac.new(HMAC_SECRET.encode(), body, hashlib.sha256).hexdigest()  # expect: hardcoded-secret
