from django.shortcuts import get_object_or_404
from sqlalchemy import select

from billing.models import Payment
from shop.models import Shipment


def shipments_to(request, city):
    return list(Shipment.objects.filter(destination=city).order_by("-id"))  # expect: missing-index


def lost_shipments():
    return Shipment.objects.filter(state="lost").count()  # expect: missing-index


def pending_payments(session):
    return session.query(Payment).filter_by(state="pending").all()  # expect: missing-index


def payments_by_provider(session, provider):
    return session.execute(select(Payment).where(Payment.provider == provider)).scalars().all()  # expect: missing-index
