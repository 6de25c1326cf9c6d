# Copy to settings_local.py and fill in.
SECRET_KEY = "replace-me-with-a-long-random-string"
DATABASE_URL = "postgresql://shop:shop@localhost:5432/shop"
STRIPE_SECRET_KEY = "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"
EMAIL_HOST_PASSWORD = "app-password"
