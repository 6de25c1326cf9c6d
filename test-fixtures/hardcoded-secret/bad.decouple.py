from decouple import config

SECRET_KEY = config("SECRET_KEY", default="s3cr3t-dev-key-4242")  # expect: hardcoded-secret
DEBUG = config("DEBUG", default=False, cast=bool)
SENTRY_DSN = config("SENTRY_DSN", default="")
OPENAI_API_KEY = config("OPENAI_API_KEY", default="sk-proj-Qm3xT8vL2pR7nW4bY9cZ1hJ6kD0gSa5F", cast=str)  # expect: hardcoded-secret
