# A Django login view whose form (in another module) limits the attempts.
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render

from .good_forms import PasswordLoginForm


def login(request):
    form = PasswordLoginForm()
    if request.method == "POST":
        form = PasswordLoginForm(request.POST)
        if form.is_valid():
            auth_login(request, form.user)
            return redirect("home")
    return render(request, "login.html", {"form": form})
