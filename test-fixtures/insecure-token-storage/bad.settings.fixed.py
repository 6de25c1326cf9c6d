"""Production settings."""
from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]
SESSION_COOKIE_SECURE = True  # expect: insecure-token-storage
SESSION_COOKIE_HTTPONLY = True  # expect: insecure-token-storage
SESSION_COOKIE_AGE = 1209600
