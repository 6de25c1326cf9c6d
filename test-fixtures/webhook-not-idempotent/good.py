import os

import stripe
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from shop.models import Order, ProcessedEvent, Shipment


@csrf_exempt
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse(status=400)
    try:
        with transaction.atomic():
            ProcessedEvent.objects.create(event_id=event["id"])
            if event["type"] == "checkout.session.completed":
                order = Order.objects.get(checkout_session=event["data"]["object"]["id"])
                Shipment.objects.create(order=order)
    except IntegrityError:
        return HttpResponse(status=200)
    return HttpResponse(status=200)


@csrf_exempt
def stripe_webhook_checked(request):
    try:
        event = stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse(status=400)
    if ProcessedEvent.objects.filter(event_id=event.id).exists():
        return HttpResponse(status=200)
    Shipment.objects.create(order_id=event.data.object.metadata["order_id"])
    ProcessedEvent.objects.create(event_id=event.id)
    return HttpResponse(status=200)


@csrf_exempt
def stripe_webhook_logged(request):
    try:
        event = stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse(status=400)
    print("stripe event", event["type"], event["id"])
    return HttpResponse(status=200)


@csrf_exempt
def stripe_webhook_state(request):
    try:
        event = stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse(status=400)
    existing = Order.objects.filter(checkout_session=event["data"]["object"]["id"], status="paid").first()
    if existing:
        return HttpResponse(status=200)
    Shipment.objects.create(order=Order.objects.get(checkout_session=event["data"]["object"]["id"]))
    return HttpResponse(status=200)


@csrf_exempt
def stripe_webhook_plan(request):
    try:
        event = stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponse(status=400)
    # Setting the plan again to the same value changes nothing.
    order = Order.objects.get(customer=event["data"]["object"]["customer"])
    order.plan = event["data"]["object"]["plan"]["id"]
    order.save()
    return HttpResponse(status=200)


def refund_order(order):
    return stripe.Refund.create(payment_intent=order.payment_intent_id, idempotency_key=f"refund-{order.id}")


def charge_with_client(client, order):
    return client.payment_intents.create(params={"amount": order.total, "currency": "usd"}, options={"idempotency_key": f"pi-{order.id}"})


def cancel_order(order):
    # A refund of the whole payment happens once: Stripe rejects a second one (charge_already_refunded).
    return stripe.Refund.create(payment_intent=order.payment_intent_id)
