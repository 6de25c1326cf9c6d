import stripe
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Payment, Subscription


def json_error(message, status):
    return JsonResponse({"error": message}, status=status)


# State written from the event (the same state on every delivery), and a record created only when
# a lookup of the same payment found none.
@csrf_exempt
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], settings.STRIPE_WEBHOOK_SECRET)
    except ValueError:
        return json_error("invalid payload", 400)
    data = event["data"]["object"]
    if event["type"] == "customer.subscription.updated":
        Subscription.objects.filter(stripe_id=data["id"]).update(status=data["status"])
    elif event["type"] == "payment_intent.succeeded":
        payment = Payment.objects.filter(intent_id=data["id"]).first()
        if not payment:
            Payment.objects.create(intent_id=data["id"], amount=data["amount"])
    elif event["type"] == "invoice.upcoming":
        print("upcoming invoice", data["id"])
    return HttpResponse(status=200)
