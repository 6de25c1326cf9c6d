"""A Stripe webhook in a one-file Django project that takes the JSON body on trust; each paid
order appends a line to the file named by SIDE_EFFECTS_LOG."""
import json
import os

import django
from django.conf import settings

settings.configure(DEBUG=False, ALLOWED_HOSTS=["*"], SECRET_KEY=os.urandom(16).hex(), ROOT_URLCONF=__name__, MIDDLEWARE=[])
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


def mark_paid(session_id):
    with open(os.environ["SIDE_EFFECTS_LOG"], "a") as log:
        log.write(json.dumps({"action": "mark_paid", "id": session_id}) + "\n")


@csrf_exempt
def stripe_webhook(request):
    event = json.loads(request.body)
    if event["type"] == "checkout.session.completed":
        mark_paid(event["data"]["object"]["id"])
    return JsonResponse({"ok": True})


urlpatterns = [path("webhook", stripe_webhook)]
app = get_wsgi_application()
