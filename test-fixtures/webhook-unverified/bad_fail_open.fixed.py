import json
import os

import stripe
from flask import Flask, request

app = Flask(__name__)
ENDPOINT_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")


@app.route("/webhook", methods=["POST"])
def webhook():  # expect: webhook-unverified
    payload = request.data
    try:
        event = stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature"), ENDPOINT_SECRET)
    except (ValueError, stripe.error.SignatureVerificationError):
        return "bad payload", 400
    if event["type"] == "invoice.paid":
        activate(event["data"]["object"]["customer"])
    return "", 200


def activate(customer_id):
    stripe.Customer.modify(customer_id, metadata={"active": "yes"})
