from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTALLED_APPS = ["corsheaders", "shop"]
CORS_ALLOW_ALL_ORIGINS = True  # expect: cors-misconfig
CORS_ALLOW_CREDENTIALS = True
