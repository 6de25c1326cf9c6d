from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.db import transaction
from shop.models import Address, ReviewFlag


@login_required
def delete_account(request):
    with transaction.atomic():
        ReviewFlag.objects.filter(review__user=request.user).delete()
        Address.objects.filter(user=request.user).delete()
        request.user.delete()
    return HttpResponse(status=204)
