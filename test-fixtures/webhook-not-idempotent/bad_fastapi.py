import os

import stripe
from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import Session

from .database import get_db
from .models import Subscription

app = FastAPI()


# SQLAlchemy session from a dependency: a redelivered event adds a second subscription row.
@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request, db: Session = Depends(get_db)):  # expect: webhook-not-idempotent
    payload = await request.body()
    event = stripe.Webhook.construct_event(payload, request.headers["stripe-signature"], os.environ["STRIPE_WEBHOOK_SECRET"])
    if event["type"] == "customer.subscription.created":
        sub = event["data"]["object"]
        db.add(Subscription(stripe_id=sub["id"], customer=sub["customer"]))
        db.commit()
    return {"received": True}
# vibeguard-disable-file unbounded-upload -- this fixture is about webhook-not-idempotent; unbounded-upload has fixtures of its own
