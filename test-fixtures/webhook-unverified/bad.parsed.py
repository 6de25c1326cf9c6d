import json
import os

import stripe
from flask import Flask, request

from .orders import mark_order_paid

app = Flask(__name__)


@app.post("/stripe/webhook")
def stripe_webhook():  # expect: webhook-unverified
    try:
        event = stripe.Webhook.construct_event(json.dumps(request.get_json()), request.headers["Stripe-Signature"], os.environ["STRIPE_WEBHOOK_SECRET"])
    except stripe.SignatureVerificationError:
        return "", 400
    if event["type"] == "checkout.session.completed":
        mark_order_paid(event["data"]["object"]["id"])
    return "", 200
