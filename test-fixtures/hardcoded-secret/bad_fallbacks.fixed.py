import os

from pydantic import Field
from pydantic_settings import BaseSettings

ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]


class Settings(BaseSettings):
    # The default applies whenever JWT_SECRET is unset: every such deployment signs with it.
    jwt_secret: str = Field(alias="JWT_SECRET")  # expect: hardcoded-secret


class Config:
    SECRET_KEY = os.environ["SECRET_KEY"]  # expect: hardcoded-secret


def seed(create_user):
    create_user(email="admin@example.org", password=ADMIN_PASSWORD)  # expect: hardcoded-secret
