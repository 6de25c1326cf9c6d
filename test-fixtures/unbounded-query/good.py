from django.core.paginator import Paginator
from django.http import JsonResponse

from .models import Customer


def customer_page(request):
    page = Paginator(Customer.objects.all().order_by("id"), 50).get_page(request.GET.get("page"))
    return JsonResponse([c.name for c in page], safe=False)


def customers_filtered(request):
    return JsonResponse(list(Customer.objects.filter(active=True).values("id")), safe=False)


def top_customers(request):
    return JsonResponse(list(Customer.objects.all().order_by("-spent")[:10].values("id")), safe=False)


def customer_count(request):
    return JsonResponse({"n": Customer.objects.all().count()})


def export(request):
    for c in Customer.objects.all().iterator():
        yield c.name


def sync_statuses(request):
    # Every user is walked to update a status: a batch action, not rows sent to the client.
    for user in Customer.objects.all():
        user.active = user.last_order is not None
        user.save()
    return JsonResponse({"ok": True})
