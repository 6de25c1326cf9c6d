from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import View
from fastapi import APIRouter, Depends, FastAPI
from flask import Blueprint, abort, g

from deps import get_current_user

# A router whose dependencies guard every route on it.
admin = APIRouter(prefix="/admin", dependencies=[Depends(get_current_user)])


@admin.post("/users/{user_id}/ban")
def ban(user_id: int):
    return ban_user(user_id)


api = FastAPI()


# A guard declared as a parameter dependency.
@api.post("/payments/refund")
def refund(order_id: str, user=Depends(get_current_user)):
    return issue_refund(user, order_id)


# A Flask blueprint with a before_request guard.
billing = Blueprint("billing", __name__, url_prefix="/billing")


@billing.before_request
def require_login():
    if g.user is None:
        abort(401)


@billing.post("/charges")
def charge():
    return create_charge()


# Public by design.
@api.get("/admin/login")
def admin_login():
    return start_admin_session()


@api.post("/payments/webhook")
def payments_webhook():
    return handle_webhook()


# A Django class-based view behind LoginRequiredMixin.
class AdminReportView(LoginRequiredMixin, View):
    def get(self, request):
        return render_report(request)
# vibeguard-disable-file missing-rate-limit -- this fixture is about missing-auth; missing-rate-limit has fixtures of its own
