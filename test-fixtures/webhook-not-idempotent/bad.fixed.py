import os

import psycopg2
import stripe
from django.core.mail import send_mail
from flask import Flask, request

from billing.models import Invoice, db
from idempotency import once_per_event

app = Flask(__name__)
conn = psycopg2.connect(os.environ["DATABASE_URL"])


@app.post("/webhooks/stripe")
def stripe_webhook():  # expect: webhook-not-idempotent
    try:
        event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.SignatureVerificationError):
        return "", 400
    with once_per_event(conn, event["id"]) as first_delivery:
        if first_delivery:
            if event["type"] == "checkout.session.completed":
                session = event["data"]["object"]
                with conn.cursor() as cur:
                    cur.execute("INSERT INTO orders (session_id, email) VALUES (%s, %s)", (session["id"], session["customer_email"]))
                conn.commit()
                send_mail("Thanks for your order", "We got it.", "shop@example.com", [session["customer_email"]])
    return "", 200


@app.post("/webhooks/billing")
def billing_webhook():  # expect: webhook-not-idempotent
    event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], os.environ["STRIPE_WEBHOOK_SECRET"])
    with once_per_event(db.session, event["id"]) as first_delivery:
        if first_delivery:
            if event.type == "invoice.paid":
                invoice = Invoice(stripe_id=event.data.object.id, amount=event.data.object.amount_paid)
                db.session.add(invoice)
                db.session.commit()
    return "", 200


@app.post("/orders/<order_id>/charge")
def charge_order(order_id):
    order = load_order(order_id)
    charge = stripe.Charge.create(amount=order["total"], currency="usd", customer=order["customer"], idempotency_key=f"charge-{order_id}")  # expect: webhook-not-idempotent
    return {"charge": charge.id}


def refund_order(order):
    return stripe.Refund.create(  # expect: webhook-not-idempotent
        payment_intent=order.payment_intent_id,
        amount=order.refund_cents,
        reason="requested_by_customer",
        idempotency_key=f"refund-{order.id}",
    )


def load_order(order_id):
    with conn.cursor() as cur:
        cur.execute("SELECT id, total, customer FROM orders WHERE id = %s", (order_id,))
        row = cur.fetchone()
    return {"id": row[0], "total": row[1], "customer": row[2]}
