from fastapi import FastAPI, Request

from .users import sync_user

app = FastAPI()


# Clerk (Svix) events taken on trust.
@app.post("/webhooks/clerk")
async def clerk_webhook(request: Request):  # expect: webhook-unverified
    event = await request.json()
    print("delivery", request.headers.get("svix-id"))
    if event["type"] == "user.created":
        sync_user(event["data"]["id"])
    return {"ok": True}
