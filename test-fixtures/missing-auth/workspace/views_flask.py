from flask import Blueprint
from flask_login import current_user, login_required

account = Blueprint("account", __name__)


@account.get("/account")
@login_required
def show_account():
    return {"email": current_user.email}
