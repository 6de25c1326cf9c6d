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

app = Flask(__name__)
app.config["SECRET_KEY"] = "8f42a73054b1749f8f58848be5e6502c"  # expect: hardcoded-secret
stripe.api_key = "sk_test_51HxQq2Lk8vR3mT9bXy7PzW4nC6dF0aJ"  # expect: hardcoded-secret
ADMIN_TOKEN = os.environ.get("ADMIN_TOKEN", "adm-7f3k29xqp")  # expect: hardcoded-secret

analytics = create_engine("mysql+pymysql://analytics:An4lyt1cs-RO@warehouse.internal/events")  # expect: hardcoded-secret
conn = psycopg2.connect(host="db.internal", dbname="orders", user="orders", password="Tr0ub4dor&3")  # expect: hardcoded-secret


def issue_token(user_id):
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    return jwt.encode({"sub": user_id, "exp": expires}, "change-this-jwt-secret", algorithm="HS256")  # expect: hardcoded-secret


def read_token(token):
    return jwt.decode(token, "change-this-jwt-secret", algorithms=["HS256"])  # expect: hardcoded-secret


def sign_export(body):
    return hmac.new(b"exp0rt-s1gning", body, hashlib.sha256).hexdigest()  # expect: hardcoded-secret
