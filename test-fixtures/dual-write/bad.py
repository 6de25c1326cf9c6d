import requests
from django.core.mail import send_mail
from django.db import transaction
from django.http import JsonResponse

from .models import Order, User
from .tasks import ship_order


def signup(request):
    user = User.objects.create(email=request.POST["email"])
    requests.post("https://crm.example.com/hooks/users", json={"id": user.id}, timeout=5)  # expect: dual-write
    return JsonResponse({"id": user.id})


def place_order(request):
    order = Order.objects.create(total=request.POST["total"])
    ship_order.delay(order.id)  # expect: dual-write
    return JsonResponse({"id": order.id})


def cancel(request, order_id):
    with transaction.atomic():
        Order.objects.filter(id=order_id).update(status="cancelled")
        send_mail("Cancelled", "Your order was cancelled", "team@example.com", [request.user.email])  # expect: dual-write
    return JsonResponse({"ok": True})
# vibeguard-disable-file missing-rate-limit -- this fixture is about dual-write; missing-rate-limit has fixtures of its own
