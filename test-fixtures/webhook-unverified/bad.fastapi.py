import stripe
from fastapi import APIRouter, Request

from .billing import activate_subscription, record_payment

router = APIRouter()


@router.post("/stripe/webhook")
async def stripe_webhook(request: Request):  # expect: webhook-unverified, webhook-not-idempotent
    payload = await request.json()
    event_type = payload["type"]
    if event_type == "invoice.payment_succeeded":
        await record_payment(payload["data"]["object"])
    elif event_type == "customer.subscription.created":
        await activate_subscription(payload["data"]["object"]["id"])
    return {"status": "ok"}
