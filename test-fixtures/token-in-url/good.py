import os
import secrets
from urllib.parse import urlencode

from flask import Flask, redirect, request, session, url_for

app = Flask(__name__)
APP_URL = os.environ["APP_URL"]


@app.post("/orders")
def create_order():
    order = place_order(request.form["sku"])
    return redirect(url_for("order_detail", order_id=order.id, page=2))


@app.get("/orders/<int:order_id>")
def order_detail(order_id):
    return redirect(f"/app/orders/{order_id}?tab=items")


@app.get("/auth/github")
def github_login():
    state = secrets.token_urlsafe(16)
    session["oauth_state"] = state
    query = urlencode({
        "client_id": os.environ["GITHUB_CLIENT_ID"],
        "redirect_uri": f"{APP_URL}/auth/github/callback",
        "response_type": "code",
        "state": state,
    })
    return redirect(f"https://github.com/login/oauth/authorize?{query}")


@app.get("/auth/github/callback")
def github_callback():
    token = finish_oauth(request.args["code"], request.args["state"])
    response = redirect("/app")
    response.set_cookie("access_token", token, httponly=True, secure=True, samesite="Lax")
    return response


def send_verification_email(user, verification_token):
    link = url_for("verify_email", token=verification_token, _external=True)
    send_mail(user.email, "Confirm your address", f"Open {link} to confirm your email.")


@app.get("/links/<token>")
def email_link(token):
    return redirect(url_for("reset_password", token=token))


@app.get("/invitations/<int:invite_id>/open")
def open_invitation(invite_id):
    # The invitation's one-time token goes on to the join page, as the e-mailed link intends.
    token = load_invitation(invite_id).token
    return redirect(f"/team/join?token={token}")
