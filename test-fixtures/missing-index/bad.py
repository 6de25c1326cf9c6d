from django.shortcuts import get_object_or_404
from sqlalchemy import select, text

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


def entries_of(conn, account):
    return conn.execute(text("SELECT id, amount_cents FROM ledger_entries WHERE account = :account"), {"account": account}).all()  # expect: missing-index


def entries_on(conn, day):
    return conn.execute(text("SELECT id FROM ledger_entries WHERE booked_on = :day"), {"day": day}).all()
