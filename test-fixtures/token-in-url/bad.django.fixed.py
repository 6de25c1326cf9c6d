from django.http import HttpResponseRedirect


def login_complete(request):
    session_key = request.session.session_key
    response = HttpResponseRedirect("/app/")
    response.set_cookie("sid", session_key, httponly=True, secure=True, samesite="Lax")
    return response  # expect: token-in-url
