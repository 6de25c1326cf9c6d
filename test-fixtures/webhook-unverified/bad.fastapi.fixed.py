import os
import stripe
from fastapi import APIRouter, Request, HTTPException

from .billing import activate_subscription, record_payment

router = APIRouter()


@router.post("/stripe/webhook")
async def stripe_webhook(request: Request):  # expect: webhook-unverified, webhook-not-idempotent
    try:
        payload = stripe.Webhook.construct_event(await request.body(), request.headers.get("stripe-signature"), os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError) as e:
        raise HTTPException(status_code=400, detail=f"Webhook Error: {e}")
    event_type = payload["type"]
    if event_type == "invoice.payment_succeeded":
        await record_payment(payload["data"]["object"])
    elif event_type == "customer.subscription.created":
        await activate_subscription(payload["data"]["object"]["id"])
    return {"status": "ok"}
