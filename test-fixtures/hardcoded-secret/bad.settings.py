"""Django settings for the shop project."""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "django-insecure-q8#x@1k!v2m$z7^p3w&n9r(t5y)u0i*o4e6a"  # expect: hardcoded-secret
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "pg-Sh0p-2024!",  # expect: hardcoded-secret
        "HOST": "db.internal",
        "PORT": "5432",
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:r3d1s-pa55w0rd@cache.internal:6379/0",  # expect: hardcoded-secret
    }
}

EMAIL_HOST = "smtp.mailgun.org"
EMAIL_HOST_USER = "postmaster@mg.shop.example"
EMAIL_HOST_PASSWORD = "mail-app-pw-81x"  # expect: hardcoded-secret
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600
