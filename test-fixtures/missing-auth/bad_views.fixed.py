from django.contrib.auth.decorators import login_required
from django.http import JsonResponse


@login_required
def dashboard(request):
    return JsonResponse({"user": request.user.username})


@login_required
def admin_refund(request, order_id):  # expect: missing-auth
    issue_refund(order_id)
    return JsonResponse({"ok": True})
