from django.http import JsonResponse

from .models import Customer, Order

STATUSES = ("paid", "refunded")


def order_list(request):
    orders = Order.objects.select_related("customer").filter(status="paid")
    return JsonResponse([{"id": o.id, "customer": o.customer.name} for o in orders], safe=False)


def by_status(request):
    return JsonResponse({s: Order.objects.filter(status=s).count() for s in STATUSES})


def batched(request):
    orders = list(Order.objects.all())
    customers = Customer.objects.in_bulk([o.customer_id for o in orders])
    names = {c.id: c.name for c in Customer.objects.filter(id__in=[o.customer_id for o in orders])}
    return JsonResponse([{"id": o.id, "c": customers[o.customer_id].name, "n": names.get(o.customer_id)} for o in orders], safe=False)


def mark_sent(request):
    for order in Order.objects.filter(status="due"):
        order.status = "sent"
        order.save()
    return JsonResponse({"ok": True})


def reassign(request):
    # A write per row (an UPDATE through a filtered queryset) is not a lookup.
    for team in Team.objects.all():
        Member.objects.filter(team=team).update(project=team.project)
    return JsonResponse({"ok": True})
# vibeguard-disable-file unbounded-query -- this fixture is about n-plus-one; unbounded-query has fixtures of its own
