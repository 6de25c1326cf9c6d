"""A Stripe webhook served by FastAPI that takes the JSON body on trust; each recorded payment
appends a line to the file named by SIDE_EFFECTS_LOG."""
import json
import os

from fastapi import FastAPI, Request

app = FastAPI()


def record_payment(session_id):
    with open(os.environ["SIDE_EFFECTS_LOG"], "a") as log:
        log.write(json.dumps({"action": "record_payment", "id": session_id}) + "\n")


@app.post("/stripe/webhook")
async def stripe_webhook(request: Request):
    payload = await request.json()
    if payload["type"] == "checkout.session.completed":
        record_payment(payload["data"]["object"]["id"])
    return {"status": "ok"}
