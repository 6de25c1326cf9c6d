from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def delete_account(request):
    request.user.delete()  # expect: incomplete-deletion
    return HttpResponse(status=204)
