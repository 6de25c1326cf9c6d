import os

CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_ALL_ORIGINS = False  # expect: cors-misconfig
CORS_ORIGIN_WHITELIST = os.environ.get("FRONTEND_ORIGINS", "http://localhost:3000").split(",")
