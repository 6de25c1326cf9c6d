"""Sign-in completion in a one-file Django project: the session token goes to the SPA in the
redirect URL. Tokens are signed with itsdangerous, as in sso_flask.py."""
import os

import django
from django.conf import settings

settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], SECRET_KEY=os.environ["SESSION_SIGNING_KEY"], ROOT_URLCONF=__name__, MIDDLEWARE=[])
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponseRedirect  # noqa: E402
from django.urls import path  # noqa: E402
from itsdangerous import URLSafeTimedSerializer  # noqa: E402


def resume(request):
    if request.GET.get("ticket") != "t-123":
        return HttpResponseRedirect("/login?error=unknown_ticket")
    session_token = URLSafeTimedSerializer(os.environ["SESSION_SIGNING_KEY"]).dumps({"sub": "user_42"})
    return HttpResponseRedirect(f"/app?session_token={session_token}&lang=en")


urlpatterns = [path("sessions/resume", resume)]
app = get_wsgi_application()
