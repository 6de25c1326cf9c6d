import os

from pydantic import Field
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    # The default applies whenever JWT_SECRET is unset: every such deployment signs with it.
    jwt_secret: str = Field("dev_secret", alias="JWT_SECRET")  # expect: hardcoded-secret


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "top-secret!")  # expect: hardcoded-secret


def seed(create_user):
    create_user(email="admin@example.org", password="Adm1n-2024!")  # expect: hardcoded-secret
