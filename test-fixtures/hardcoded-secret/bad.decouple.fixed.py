from decouple import config

SECRET_KEY = config("SECRET_KEY")  # expect: hardcoded-secret
DEBUG = config("DEBUG", default=False, cast=bool)
SENTRY_DSN = config("SENTRY_DSN", default="")
OPENAI_API_KEY = config("OPENAI_API_KEY", cast=str)  # expect: hardcoded-secret
