import stripe
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from modules.shop import handlers
from idempotency import once_per_event

# Event types mapped to handlers in another module; one of them e-mails the customer again on every redelivery.
HANDLERS = {
    "checkout.session.completed": handlers.order_paid,
    "charge.refunded": handlers.order_refunded,
}


@csrf_exempt
def stripe_webhook(request):  # expect: webhook-not-idempotent
    event = stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], settings.STRIPE_WEBHOOK_SECRET)
    handler = HANDLERS.get(event["type"])
    with once_per_event(event["id"]) as first_delivery:
        if first_delivery:
            if handler:
                handler(event)
    return HttpResponse(status=200)
