# A Flask app on psycopg2: each invoice.paid adds the invoice's credits to the account.
import os

import psycopg2
import stripe
from flask import Flask, request

app = Flask(__name__)


@app.post("/webhooks/stripe")
def stripe_webhook():
    try:
        event = stripe.Webhook.construct_event(request.get_data(), request.headers.get("Stripe-Signature"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError):
        return "bad signature", 400
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    if event["type"] == "invoice.paid":
        invoice = event["data"]["object"]
        with conn.cursor() as cur:
            cur.execute("UPDATE accounts SET credits = credits + %s WHERE customer = %s", (invoice["amount_paid"], invoice["customer"]))
        conn.commit()
    conn.close()
    return {"received": True}
