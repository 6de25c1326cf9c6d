from django.http import HttpResponseRedirect


def login_complete(request):
    session_key = request.session.session_key
    return HttpResponseRedirect(f"/app/?sid={session_key}")  # expect: token-in-url
