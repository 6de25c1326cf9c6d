import json
import os

import stripe
from flask import Flask, jsonify, request

from orders import fulfill_order

app = Flask(__name__)
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]


@app.route("/webhook", methods=["POST"])
def stripe_webhook():  # expect: webhook-unverified, webhook-not-idempotent
    try:
        event = stripe.Webhook.construct_event(request.get_data(), request.headers.get("Stripe-Signature"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError) as e:
        return f"Webhook Error: {e}", 400
    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        fulfill_order(session["id"], session["customer_details"]["email"])
    return jsonify(success=True)


@app.post("/payments/notify")
def payment_notification():  # expect: webhook-unverified
    try:
        event = stripe.Webhook.construct_event(request.get_data(), request.headers.get("Stripe-Signature"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError) as e:
        return f"Webhook Error: {e}", 400

    if event["type"] == "payment_intent.payment_failed":
        mark_failed(event["data"]["object"]["id"])
    return "", 204


# Stripe's old sample without a signing secret: construct_from builds the event but checks nothing.
@app.route("/stripe_webhooks", methods=["POST"])
def webhook_received():  # expect: webhook-unverified
    payload = request.data
    try:
        event = stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError) as e:
        return f"Webhook Error: {e}", 400
    if event.type == "payment_intent.payment_failed":
        mark_failed(event.data.object.id)
    return "", 200


def mark_failed(payment_intent_id):
    app.logger.warning("payment failed: %s", payment_intent_id)
    stripe.PaymentIntent.cancel(payment_intent_id)
