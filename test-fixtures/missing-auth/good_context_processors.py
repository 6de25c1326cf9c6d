# A Django context processor takes the request but is not a view: no URL serves it.
from django.conf import settings


def payments(request):
    return {"show_pricing": settings.USE_PAYMENTS}
