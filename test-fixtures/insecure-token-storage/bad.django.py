from django.http import JsonResponse
from django.views.decorators.http import require_POST


@require_POST
def login_view(request):
    user = authenticate_user(request)
    response = JsonResponse({"ok": True})
    response.set_cookie(  # expect: insecure-token-storage
        "jwt",
        issue_jwt(user),
        max_age=3600,
        secure=True,
    )
    return response
# vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
