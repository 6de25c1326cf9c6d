import stripe
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Order
from .idempotency import once_per_event


# Django ORM: every redelivery creates another paid order for the same checkout.
@csrf_exempt
@require_POST
def stripe_webhook(request):  # expect: webhook-not-idempotent
    event = stripe.Webhook.construct_event(request.body, request.headers["Stripe-Signature"], settings.STRIPE_WEBHOOK_SECRET)
    with once_per_event(event["id"]) as first_delivery:
        if first_delivery:
            if event["type"] == "checkout.session.completed":
                Order.objects.create(email=event["data"]["object"]["customer_email"], paid=True)
    return HttpResponse(status=200)
