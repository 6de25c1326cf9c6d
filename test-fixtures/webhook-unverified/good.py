import hashlib
import hmac
import os

import stripe
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from fastapi import APIRouter, Header, HTTPException, Request
from flask import Flask, abort, request

from .decorators import verify_signature
from .services import mark_order_paid, sync_repository

app = Flask(__name__)
router = APIRouter()
endpoint_secret = os.environ["STRIPE_WEBHOOK_SECRET"]


@app.route("/webhook", methods=["POST"])
def flask_webhook():
    try:
        event = stripe.Webhook.construct_event(request.data, request.headers.get("Stripe-Signature"), endpoint_secret)
    except (ValueError, stripe.SignatureVerificationError):
        abort(400)
    if event["type"] == "checkout.session.completed":
        mark_order_paid(event["data"]["object"]["id"])
    return "", 200


@router.post("/stripe/webhook")
async def fastapi_webhook(request: Request, stripe_signature: str = Header(None)):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(payload, stripe_signature, endpoint_secret)
    except stripe.SignatureVerificationError:
        raise HTTPException(status_code=400, detail="bad signature")
    if event.type == "invoice.paid":
        mark_order_paid(event.data.object.metadata["order_id"])
    return {"ok": True}


@csrf_exempt
def github_webhook(request):
    digest = hmac.new(os.environ["GITHUB_WEBHOOK_SECRET"].encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest("sha256=" + digest, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponse(status=401)
    if request.headers.get("X-GitHub-Event") == "push":
        sync_repository(request.body)
    return HttpResponse(status=204)


@app.post("/hooks/deploy")
@verify_signature
def deploy_webhook():
    sync_repository(request.get_json()["repository"]["full_name"])
    return "", 204


@app.post("/webhooks/ping")
def ping_webhook():
    app.logger.info("ping from %s", request.get_json().get("zen"))
    return "", 204
# vibeguard-disable-file unbounded-upload -- this fixture is about webhook-unverified; unbounded-upload has fixtures of its own
