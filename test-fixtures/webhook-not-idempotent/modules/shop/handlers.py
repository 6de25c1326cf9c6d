# Handlers the Django webhook view dispatches to by event type.
from django.core.mail import send_mail

from .models import Order


def order_paid(event):
    order = Order.objects.get(stripe_session=event["data"]["object"]["id"])
    order.status = "paid"
    order.save()
    send_mail("Your order is confirmed", f"Order {order.id}", "shop@example.org", [order.email])


def order_refunded(event):
    Order.objects.filter(stripe_charge=event["data"]["object"]["id"]).update(status="refunded")
