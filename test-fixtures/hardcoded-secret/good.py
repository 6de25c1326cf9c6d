"""Settings and helpers that handle credentials without hardcoding them."""
import getpass
import os
import secrets
from os import getenv

import boto3
import hvac
import jwt
import streamlit as st
from decouple import config
from fastapi.security import APIKeyHeader
from flask import Flask
from pydantic import BaseModel, Field
from wtforms import Form, PasswordField, StringField

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.secret_key = os.getenv("FLASK_SECRET_KEY")
SMTP_PASSWORD = os.getenv("SMTP_PASSWORD", "")
API_TOKEN = os.environ.get("API_TOKEN", "")
STRIPE_KEY = getenv("STRIPE_SECRET_KEY")
DEBUG = config("DEBUG", default=False, cast=bool)
SENTRY_DSN = config("SENTRY_DSN", default="")
DATABASE_PASSWORD = config("DATABASE_PASSWORD")
DATABASE_URL = os.environ["DATABASE_URL"]

# Empty values and placeholders.
password = ""
api_key = "your-api-key-here"
client_secret = "<client-secret>"
jwt_secret = "${JWT_SECRET}"
token = None

# Key names, headers, labels, messages.
TOKEN_HEADER = "Authorization"
api_key_header = APIKeyHeader(name="X-API-Key")
password_field = "password"
SECRET_KEY_ENV = "SECRET_KEY"
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
PASSWORD_RESET_TIMEOUT = 3600
LABELS = {"username": "Username", "password": "Password", "password_confirm": "Repeat password"}


class LoginForm(Form):
    username = StringField("Username")
    password = PasswordField("Password")


COMMON_PASSWORDS = {"password", "123456", "qwerty123"}


def check(new_password, confirmation):
    if new_password != confirmation:
        raise ValueError("Passwords do not match")
    if new_password.lower() in COMMON_PASSWORDS:
        raise ValueError("Invalid password: too common")
    return True


# Values read from a secret manager.
def signing_key():
    client = boto3.client("secretsmanager")
    secret = client.get_secret_value(SecretId="prod/api/jwt-secret")["SecretString"]
    vault = hvac.Client(url="https://vault.internal:8200", token=os.environ["VAULT_TOKEN"])
    db_password = vault.secrets.kv.v2.read_secret_version(path="shop/db")["data"]["data"]["password"]
    return secret, db_password


def issue(user_id, key):
    return jwt.encode({"sub": user_id, "exp": 4102444800}, key, algorithm="HS256")


def headers(key):
    return {"X-API-Key": key, "Authorization": f"Bearer {key}"}


EXAMPLE_URL = "postgres://user:password@localhost:5432/app"
AWS_DOC_KEY = "AKIAIOSFODNN7EXAMPLE"


class Login(BaseModel):
    email: str
    password: str = Field(..., min_length=8)

    model_config = {"json_schema_extra": {"examples": [{"email": "a@b.co", "password": "s3cret-Pass!"}]}}


typed = getpass.getpass("Password: ")
openai_key = st.text_input("OpenAI API key", type="password")
SESSION_SECRET = secrets.token_hex(32)
ACCESS_TOKEN_EXPIRE_MINUTES = 30
JWT_ALGORITHM = "HS256"
SESSION_COOKIE_NAME = "sessionid"
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{20,}$"
ERROR_INVALID_TOKEN = "invalid_token"
