import os
from fastapi import FastAPI, Request, HTTPException

from .users import sync_user
from svix.webhooks import Webhook, WebhookVerificationError

app = FastAPI()


# Clerk (Svix) events taken on trust.
@app.post("/webhooks/clerk")
async def clerk_webhook(request: Request):  # expect: webhook-unverified
    try:
        event = Webhook(os.environ["CLERK_WEBHOOK_SECRET"]).verify(await request.body(), request.headers)
    except (ValueError, WebhookVerificationError) as e:
        raise HTTPException(status_code=400, detail=f"Webhook Error: {e}")
    print("delivery", request.headers.get("svix-id"))
    if event["type"] == "user.created":
        sync_user(event["data"]["id"])
    return {"ok": True}
