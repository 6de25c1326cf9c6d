from django.db import transaction

from shop.models import Address, ReviewFlag


def delete_account(request):
    with transaction.atomic():
        ReviewFlag.objects.filter(review__user=request.user).delete()
        Address.objects.filter(user=request.user).delete()
        request.user.delete()


def deactivate(request):
    # Deactivation keeps the row on purpose.
    request.user.is_active = False
    request.user.save()


def forget_key(cache, key):
    cache.delete(key)


def remove_order(session, order):
    session.delete(order)
    session.commit()
