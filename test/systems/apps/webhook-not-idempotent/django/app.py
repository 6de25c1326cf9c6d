# A one-file Django project around the shop app: settings from the environment, the shop's
# migrations applied at start, and its webhook view at /webhooks/stripe (urls.py).
import os
from urllib.parse import urlparse

import django
from django.conf import settings

url = urlparse(os.environ["DATABASE_URL"])
settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    SECRET_KEY=os.environ["DJANGO_SECRET_KEY"],
    ROOT_URLCONF="urls",
    INSTALLED_APPS=["django.contrib.contenttypes", "shop"],
    MIDDLEWARE=[],
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": url.path.lstrip("/"), "USER": url.username, "HOST": url.hostname, "PORT": url.port}},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    STRIPE_WEBHOOK_SECRET=os.environ["STRIPE_WEBHOOK_SECRET"],
)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

call_command("migrate", verbosity=0)
app = get_wsgi_application()
