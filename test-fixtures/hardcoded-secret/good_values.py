# Values under credential-like names that are not credentials, and credentials that open nothing.
import hashlib
import hmac
import os

import environ
from pydantic_settings import BaseSettings

env = environ.Env()

# A developer's own broker and database on this machine.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="amqp://guest:guest@localhost//")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "ci",
        "USER": "postgres",
        "PASSWORD": "postgres",
        "HOST": "127.0.0.1",
    }
}


class BotSettings(BaseSettings):
    BOT_DB_DSN: str = "postgresql://bot:bot@localhost:5432/bot"
    LANGUAGE_KEY: str = "ui_language_choice"


# Telegram's login check derives its key as HMAC("WebAppData", bot_token): the literal is a label.
def check_init_data(bot_token: str, data: str, received: str) -> bool:
    secret_key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    calc = hmac.new(secret_key, data.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(calc, received)


def presign_example():
    """The presigned POST looks like:

    {"x-amz-credential": "AKIAQ7RZ5JX2M4N6P8T3/20240101/eu-west-1/s3/aws4_request"}
    """


REJECTED_SECRET_KEYS = {"change-me", "django-insecure-default", "dev"}


def check_secret():
    if os.environ["SECRET_KEY"] in REJECTED_SECRET_KEYS:
        raise RuntimeError("SECRET_KEY is a known default")


ERRORS = {"password": "パスワードは6文字以上です"}
