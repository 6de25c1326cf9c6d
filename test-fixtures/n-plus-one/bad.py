from django.http import JsonResponse

from .models import Customer, Order


def order_list(request):
    orders = Order.objects.filter(status="paid")
    out = []
    for order in orders:
        customer = Customer.objects.get(id=order.customer_id)  # expect: n-plus-one
        out.append({"id": order.id, "customer": customer.name})
    return JsonResponse(out, safe=False)


def line_totals(request, cursor):
    cursor.execute("SELECT id, product_id, qty FROM order_lines")
    rows = cursor.fetchall()
    totals = []
    for line_id, product_id, qty in rows:
        cursor.execute("SELECT price FROM products WHERE id = %s", (product_id,))  # expect: n-plus-one
        totals.append((line_id, cursor.fetchone()[0] * qty))
    return JsonResponse(totals, safe=False)


def tags_for(request):
    ids = request.GET.getlist("post")
    return JsonResponse({pid: list(Order.objects.filter(post_id=pid).values_list("tag", flat=True)) for pid in ids})  # expect: n-plus-one
