from django.contrib.auth.models import User
from django.http import HttpResponse, JsonResponse


# Django's create() does not hash: the password lands in the table as typed.
def register(request):
    user = User.objects.create(username=request.POST["username"], password=request.POST["password"])  # expect: plaintext-password
    return JsonResponse({"id": user.id}, status=201)


def login_view(request):
    user = User.objects.filter(username=request.POST["username"]).first()
    if user is None or user.password != request.POST["password"]:  # expect: plaintext-password
        return HttpResponse(status=401)
    return JsonResponse({"id": user.id})
# vibeguard-disable-file missing-rate-limit -- this fixture is about plaintext-password; missing-rate-limit has fixtures of its own
