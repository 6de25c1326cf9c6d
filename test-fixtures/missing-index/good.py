from django.shortcuts import get_object_or_404

from billing.models import Payment
from shop.models import Carrier, Shipment


def shipment(request, pk):
    # Primary key, db_index=True, a ForeignKey (indexed by Django), Meta.indexes' leading field.
    s = get_object_or_404(Shipment, pk=pk)
    by_tracking = Shipment.objects.get(tracking=request.GET["t"])
    of_carrier = Shipment.objects.filter(carrier=s.carrier)
    of_day = Shipment.objects.filter(shipped_on=request.GET["d"], state="sent")
    # A search no B-tree index serves, and a filter through a join on another table.
    like = Shipment.objects.filter(destination__icontains="ber")
    via = Shipment.objects.filter(carrier__code="DHL")
    # SlugField is indexed by default; a partial index serves the queries its condition covers; a
    # relation filter bounds the rows through the indexed foreign key.
    by_slug = Shipment.objects.get(slug=request.GET["s"])
    urgent = Shipment.objects.filter(priority__gt=7)
    lost_by = Shipment.objects.filter(state="lost", carrier__code="UPS")
    return s, by_tracking, of_carrier, of_day, like, via, by_slug, urgent, lost_by


def payment(session, ref, user_id):
    # unique=True and index=True columns.
    a = session.query(Payment).filter_by(reference=ref).one()
    b = session.query(Payment).filter(Payment.user_id == user_id).all()
    return a, b


def carrier(code):
    return Carrier.objects.get(code=code)


def payments_page(session, user_id, cursor):
    # Built up in a variable: the filters added before bound it, whatever this line adds.
    query = session.query(Payment).filter(Payment.user_id == user_id)
    if cursor:
        query = query.filter(Payment.state == cursor)
    return query.all()
