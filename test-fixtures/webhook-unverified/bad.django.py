import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from shop.models import Order


@csrf_exempt
def stripe_webhook(request):  # expect: webhook-unverified
    event = json.loads(request.body)
    if event["type"] == "checkout.session.completed":
        Order.objects.filter(checkout_session=event["data"]["object"]["id"]).update(status="paid")
    return JsonResponse({"ok": True})
