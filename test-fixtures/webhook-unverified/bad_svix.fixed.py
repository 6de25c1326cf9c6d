import os
from fastapi import FastAPI, Request, HTTPException

from .users import sync_user
from svix.webhooks import Webhook, WebhookVerificationError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

app = FastAPI()


# Clerk (Svix) events taken on trust.
@app.post("/webhooks/clerk")
async def clerk_webhook(request: Request):  # expect: webhook-unverified
    try:
        if int(request.headers.get("content-length") or 0) > MAX_UPLOAD_BYTES:
            raise HTTPException(status_code=413, detail="Upload too large")
        event = Webhook(os.environ["CLERK_WEBHOOK_SECRET"]).verify(await request.body(), request.headers)
    except (ValueError, WebhookVerificationError) as e:
        raise HTTPException(status_code=400, detail=f"Webhook Error: {e}")
    print("delivery", request.headers.get("svix-id"))
    if event["type"] == "user.created":
        sync_user(event["data"]["id"])
    return {"ok": True}
