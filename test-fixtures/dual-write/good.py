import stripe
from django.db import transaction
from django.http import JsonResponse

from .models import Order, OutboxEvent
from .tasks import publish_download_event, send_payment_notification, ship_order


def place_order(request):
    with transaction.atomic():
        order = Order.objects.create(total=request.POST["total"])
        OutboxEvent.objects.create(kind="order.placed", payload={"id": order.id})
    return JsonResponse({"id": order.id})


def place_order_on_commit(request):
    order = Order.objects.create(total=request.POST["total"])
    transaction.on_commit(lambda: ship_order.delay(order.id))
    return JsonResponse({"id": order.id})


def download_info(request, cap_id):
    # A dict update is not a database write; a PaymentIntent moves no money until confirmed.
    out = {"cap": cap_id}
    out.update({"ok": True})
    publish_download_event(cap_id)
    registration = Order.objects.create(total=request.POST["total"])
    intent = stripe.PaymentIntent.create(amount=registration.total, currency="usd", idempotency_key=f"reg-{registration.id}")
    send_payment_notification(registration.id, intent.id)
    return JsonResponse(out)
