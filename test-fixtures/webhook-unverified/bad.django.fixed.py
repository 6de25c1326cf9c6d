import json
import os
import stripe

from django.http import JsonResponse, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from shop.models import Order


@csrf_exempt
def stripe_webhook(request):  # expect: webhook-unverified
    try:
        event = stripe.Webhook.construct_event(request.body, request.META.get("HTTP_STRIPE_SIGNATURE"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError) as e:
        return HttpResponse(f"Webhook Error: {e}", status=400)
    if event["type"] == "checkout.session.completed":
        Order.objects.filter(checkout_session=event["data"]["object"]["id"]).update(status="paid")
    return JsonResponse({"ok": True})
